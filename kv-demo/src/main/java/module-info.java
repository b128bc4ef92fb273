/** A runnable walk-through of kv on its embedded default store. */
module io.kv.demo {
  requires io.kv;
  requires io.kv.memory;
  requires io.kv.core;
}
