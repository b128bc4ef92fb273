package io.kv;

/**
 * What a backend guarantees beyond the contract every store keeps.
 *
 * @param atomicBulkWrites whether {@link KvStore#putAll} and {@link KvStore#deleteAll} are
 *     all-or-nothing: when one key of the batch is refused, none is written
 * @param isolatedBulkWrites whether readers never see a bulk write half applied; when false, a
 *     concurrent reader may see some keys of a batch written and others not yet
 * @param persistent whether entries survive the process
 */
public record Capabilities(boolean atomicBulkWrites, boolean isolatedBulkWrites, boolean persistent) {}
