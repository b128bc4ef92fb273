package io.kv.jdbc;

import io.kv.Entry;
import io.kv.ForwardingKvStore;
import io.kv.KvStore;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store with a hand on its reads: counts them, and once armed, holds the next read after
 * it read its value until released, to replay the slow-read race.
 */
final class GatedStore extends ForwardingKvStore {
  final AtomicInteger gets = new AtomicInteger();
  private volatile CountDownLatch readDone;
  private volatile CountDownLatch release;

  GatedStore(KvStore delegate) {
    super(delegate);
  }

  /** The next get reads, counts down the returned latch, and waits for {@link #release()}. */
  CountDownLatch holdNextRead() {
    release = new CountDownLatch(1);
    readDone = new CountDownLatch(1);
    return readDone;
  }

  void release() {
    release.countDown();
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    gets.incrementAndGet();
    Optional<Entry> read = delegate().get(namespace, key);
    CountDownLatch done = readDone;
    if (done != null) {
      readDone = null;
      done.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return read;
  }

  @Override
  protected KvStore over(KvStore delegate) {
    return new GatedStore(delegate);
  }
}
