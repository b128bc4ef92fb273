/**
 * The kv contract.
 *
 * <p>{@link io.kv.KvStore} is the one interface every backend and every layer speaks. Its value
 * types ({@link io.kv.Entry}, {@link io.kv.Value}, {@link io.kv.WriteOptions}, {@link
 * io.kv.ListOptions}, {@link io.kv.Page}, ...) are immutable and thread-safe. Every failure is an
 * unchecked {@link io.kv.KvException}; its subclasses name the reasons a caller can act on.
 * Nothing in this package accepts or returns {@code null}: a miss is {@link java.util.Optional#empty()}.
 */
package io.kv;
