package io.kv.jdbc;

/**
 * Where a {@link JdbcKvStore} takes the time that decides expiry and stamps writes.
 *
 * @see JdbcKvStore.Builder#timeSource(TimeSource)
 */
public enum TimeSource {
  /**
   * The database's clock: the store measures how far the database's time is from its own clock
   * (when it starts and on each sweep) and corrects its clock by that offset, so that every
   * instance on one database uses the same time. H2 and SQLite are embedded: their time is the
   * host's, still one time for every instance sharing the file. Reads never wait for a
   * measurement; they add the last offset.
   */
  DATABASE,
  /**
   * The builder's clock as it is, uncorrected: for a test's mutable clock, or when every instance
   * on the database is known to agree. The offset from the database is still measured and
   * reported by {@link JdbcKvStore#clockSkew()}.
   */
  CLOCK
}
