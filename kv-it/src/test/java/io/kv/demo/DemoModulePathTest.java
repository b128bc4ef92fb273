package io.kv.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.it.consumer.Launch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo run as the module it declares, on the memory store and on H2, in a JVM of its own. */
class DemoModulePathTest {

  @Test
  void runsOnTheMemoryStore() throws Exception {
    Launch.Result run = runDemo("memory");

    assertThat(run.output()).contains("1. put and get").doesNotContain("Exception in thread");
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void createsItsTablesOnH2() throws Exception {
    Launch.Result run = runDemo("h2");

    assertThat(run.output()).contains("Run 1 on H2 at", "1. put and get", "Run 2: a new store on the same file").doesNotContain("Exception in thread");
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  private static Launch.Result runDemo(String backend) throws Exception {
    String modulePath = Launch.path("kv.it.demoPath", System.getProperty("kv.it.classes"));
    return Launch.java(Launch.workDirectory("demo-" + backend),
        List.of("--module-path", modulePath, "--module", "io.kv.demo/io.kv.demo.Demo", backend));
  }
}
