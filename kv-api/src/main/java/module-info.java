/**
 * The kv contract: {@link io.kv.KvStore}, its value types, options, change events and
 * exceptions. This module has no dependencies beyond {@code java.base}; backends depend on it
 * alone, and applications program against it.
 */
module io.kv {
  exports io.kv;
  exports io.kv.spi;
}
