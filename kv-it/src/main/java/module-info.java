/** A small application of kv, as a consumer would write it, run on the module path by the tests. */
// H2 ships without a module descriptor; its automatic module name is stable.
@SuppressWarnings("requires-automatic")
module io.kv.it.consumer {
  requires io.kv.core;
  requires io.kv.jdbc;
  requires io.kv.memory;
  requires com.h2database;
  requires org.slf4j;
  // H2's JdbcDataSource implements javax.naming.Referenceable.
  requires java.naming;

  // JsonKv maps records through Jackson, which needs deep reflection on their package.
  opens io.kv.it.consumer to com.fasterxml.jackson.databind;
}
