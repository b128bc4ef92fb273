/**
 * For backend authors: building blocks that every {@link io.kv.KvStore} backend needs in the same
 * form, so that backends share one implementation instead of each writing its own.
 */
package io.kv.spi;
