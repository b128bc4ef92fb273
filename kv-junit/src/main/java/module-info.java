/**
 * {@link io.kv.junit.KvStoreExtension}: a JUnit 5 extension that gives each test a fresh kv store
 * on a {@link io.kv.testkit.MutableClock}.
 */
module io.kv.junit {
  requires transitive io.kv;
  requires transitive io.kv.core;
  requires transitive io.kv.testkit;
  requires transitive org.junit.jupiter.api;
  requires io.kv.memory;

  exports io.kv.junit;
}
