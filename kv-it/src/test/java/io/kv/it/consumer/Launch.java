package io.kv.it.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a Java program in a JVM of its own, on paths the build wrote, and collects its output. */
public final class Launch {
  private Launch() {}

  /** What a child JVM printed (standard output and error, interleaved) and how it exited. */
  public record Result(int exitCode, String output) {}

  /** The path in the file named by system property {@code property}, with {@code first} before it. */
  public static String path(String property, String first) throws IOException {
    String deps = Files.readString(Path.of(System.getProperty(property)), StandardCharsets.UTF_8).strip();
    return first + java.io.File.pathSeparator + deps;
  }

  /** The build's directory for files the child JVMs write, created if missing. */
  public static Path workDirectory(String name) throws IOException {
    return Files.createDirectories(Path.of(System.getProperty("kv.it.work")).resolve(name));
  }

  /**
   * Runs {@code java} with {@code args} in {@code directory}, its temporary files kept there too.
   *
   * @throws AssertionError if it runs longer than a minute
   */
  public static Result java(Path directory, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + directory.toAbsolutePath());
    command.addAll(args);
    Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("java " + args + " did not finish within a minute");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
