package io.kv.it.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsumerApp} in a JVM of its own, as an application on the module path and on the class
 * path: each creates kv's tables on H2 and reads a record back through JsonKv, and reads an
 * earlier version back from a memory store.
 */
class ConsumerAppTest {
  private static final String EXPECTED =
      "read: PoolSettings[url=jdbc:postgresql://db.internal/app, maxSize=12, ssl=true]";
  private static final String EARLIER = "earlier: v1 false";

  @Test
  void runsOnTheModulePath() throws Exception {
    String modulePath = Launch.path("kv.it.consumerPath", System.getProperty("kv.it.classes"));
    Launch.Result run = Launch.java(Launch.workDirectory("consumer-module-path"),
        List.of("--module-path", modulePath, "--module", "io.kv.it.consumer/io.kv.it.consumer.ConsumerApp"));

    assertThat(run.output()).contains("app module: io.kv.it.consumer", "jdbc module: io.kv.jdbc", EXPECTED,
        "memory module: io.kv.memory", EARLIER);
    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void runsOnTheClassPath() throws Exception {
    String classPath = Launch.path("kv.it.consumerPath", System.getProperty("kv.it.classes"));
    Launch.Result run = Launch.java(Launch.workDirectory("consumer-class-path"),
        List.of("-cp", classPath, "io.kv.it.consumer.ConsumerApp"));

    assertThat(run.output()).contains("app module: unnamed", "jdbc module: unnamed", EXPECTED, EARLIER);
    assertThat(run.exitCode()).as(run.output()).isZero();
  }
}
