/**
 * The kv contract: {@link io.kv.KvStore}, its value types, options, change events and
 * exceptions. This module has no dependencies beyond {@code java.base}; backends depend on it
 * alone, and applications program against it.
 */
// The qualified export names kv's own modules, which are not on kv-api's module path when it compiles.
@SuppressWarnings("module")
module io.kv {
  exports io.kv;
  exports io.kv.spi;
  exports io.kv.internal to io.kv.core, io.kv.memory;
}
