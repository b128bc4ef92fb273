/** A runnable walk-through of kv on its embedded default store. */
// H2 ships without a module descriptor; its automatic module name is stable.
@SuppressWarnings("requires-automatic")
module io.kv.demo {
  requires io.kv;
  requires io.kv.memory;
  requires io.kv.core;
  requires io.kv.jdbc;
  requires io.kv.testkit;
  requires com.h2database;
  requires java.naming;

  // JsonKv binds the demo's config record through Jackson's reflection.
  opens io.kv.demo to com.fasterxml.jackson.databind;
}
