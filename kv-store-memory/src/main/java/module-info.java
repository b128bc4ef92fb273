/**
 * The embedded default kv store: in-process, lock-free reads, sorted prefix listing. Create one
 * with {@link io.kv.memory.MemoryKvStore#create()}.
 */
module io.kv.memory {
  requires transitive io.kv;
  requires org.slf4j;

  exports io.kv.memory;
}
