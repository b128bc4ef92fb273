package io.kv.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kv.Value;
import io.kv.testkit.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded databases keep their file proportional to the live data while the same keys are
 * overwritten again and again (the failure this guards against: an H2 file that grew to 1.5 GB
 * after a million writes over 200k live rows). 1000 keys of 1 KiB are written 33 times each
 * (33 MB of values) in a namespace that keeps no earlier versions; the store keeps each value
 * once, in its entry row, plus the change log of the last minute.
 */
@DisplayName("JdbcKvStore on H2 and SQLite: the file stays proportional to the live data")
class EmbeddedFileSizeTest {
  private static final int KEYS = 1000;
  private static final int VALUE_BYTES = 1024;
  private static final int ROUNDS = 30;
  /** The live value bytes. */
  private static final long LIVE = (long) KEYS * VALUE_BYTES;

  @TempDir
  Path dir;

  @Test
  void h2FileStaysBoundedUnderOverwrites() {
    try (HikariDataSource ds = TestDatabases.h2(dir)) {
      List<Long> sizes = overwriteManyTimes(ds);
      System.out.printf("H2 file sizes every 5 rounds: %s bytes for %,d bytes of live values%n", sizes, LIVE);
      // Measured 2.7 to 7.1 MB (8.5 to 18 MB when every version was also written to history):
      // H2 writes whole chunks and reclaims them a second after they empty (RETENTION_TIME, which
      // the store sets to 1000 ms); with H2's default of 45 s the file grew with every write
      // (25 MB after 4 s here).
      assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThan(24 * LIVE));
      // The second half of the run writes another 16 MB of values; the file grows by much less
      // than that (measured: -4 to +2.6 MB).
      assertThat(sizes.get(sizes.size() - 1) - sizes.get(2)).as("growth over the second half of the writes")
          .isLessThan(8 * LIVE);
    }
  }

  @Test
  void sqliteFileStaysSmallUnderOverwrites() {
    try (HikariDataSource ds = TestDatabases.sqlite(dir.resolve("kv.db"))) {
      List<Long> sizes = overwriteManyTimes(ds);
      System.out.printf("SQLite file sizes every 5 rounds: %s bytes for %,d bytes of live values%n", sizes, LIVE);
      // Measured 1.7 MB: one copy of each value and the change log (3.1 MB when history held a
      // second copy of each current value).
      assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThan(4 * LIVE));
    }
  }

  private List<Long> overwriteManyTimes(HikariDataSource ds) {
    MutableClock clock = MutableClock.fixed();
    Random random = new Random(42);
    List<Long> sizes = new ArrayList<>();
    try (JdbcKvStore store = JdbcKvStore.builder(ds).clock(clock).schemaMode(SchemaMode.CREATE)
        .sweepInterval(Duration.ZERO).changeRetention(Duration.ofMinutes(1)).build()) {
      for (int round = 0; round < ROUNDS; round++) {
        for (int from = 0; from < KEYS; from += 100) {
          Map<String, Value> batch = new LinkedHashMap<>();
          for (int k = from; k < from + 100; k++) {
            batch.put("key/" + k, value(random));
          }
          store.putAll("app", batch);
        }
        for (int i = 0; i < 100; i++) {
          store.put("app", "key/" + random.nextInt(KEYS), value(random));
        }
        clock.advance(Duration.ofSeconds(20));
        store.purgeExpired();   // what the sweeper does: prunes the change log, vacuums SQLite
        if (round % 5 == 4) {
          store.compact();
          sizes.add(filesSize());
        }
      }
      assertThat(store.count("app")).isEqualTo(KEYS);
    }
    return sizes;
  }

  private static Value value(Random random) {
    byte[] bytes = new byte[VALUE_BYTES];
    random.nextBytes(bytes);
    return Value.binary(bytes);
  }

  private long filesSize() {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
