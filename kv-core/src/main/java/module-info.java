/**
 * kv-core: {@link io.kv.core.KvStores#builder(io.kv.KvStore)} wraps any backend in the layer stack
 * (audit, permissions, limits, namespaces, TTL, versioning, encryption, events), and {@link
 * io.kv.core.JsonKv} gives typed access through Jackson.
 */
module io.kv.core {
  requires transitive io.kv;
  requires transitive com.fasterxml.jackson.core;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;

  exports io.kv.core;
}
