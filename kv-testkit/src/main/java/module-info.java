/**
 * The kv contract suite ({@link io.kv.testkit.KvStoreContract}), the bad-input corpus ({@link
 * io.kv.testkit.BadInputs}, run by {@link io.kv.testkit.BadInputContract}) and {@link
 * io.kv.testkit.MutableClock}, for testing backends, layer stacks and applications.
 */
module io.kv.testkit {
  requires transitive io.kv;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires org.assertj.core;

  exports io.kv.testkit;
}
