package io.kv;

/** A registered {@link ChangeListener}; close it to stop listening. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
  /** Stops delivery to the listener. Events already being delivered may still arrive. */
  @Override
  void close();
}
