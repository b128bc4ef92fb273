package io.kv;

/**
 * Receives {@link ChangeEvent}s; register one with {@link KvStore#subscribe}. Events for one key
 * arrive in version order. A listener that throws breaks neither the write nor other listeners:
 * the store catches and logs what it throws.
 */
@FunctionalInterface
public interface ChangeListener {
  /**
   * Called after a change took effect. Should return quickly; hand slow work to an executor.
   *
   * @param event the change
   */
  void onChange(ChangeEvent event);
}
