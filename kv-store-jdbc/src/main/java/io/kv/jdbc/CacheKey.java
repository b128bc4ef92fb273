package io.kv.jdbc;

/** A namespace and key: what the near-cache and the event sequencer are keyed by. Immutable. */
record CacheKey(String namespace, String key) {}
