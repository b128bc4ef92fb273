package io.kv.jdbc;

/** Test access to a store's internals. */
final class JdbcStoreAccess {
  private JdbcStoreAccess() {}

  static Sweeper sweeper(JdbcKvStore store) {
    return ((JdbcStore) store).state().sweeper;
  }

  static Db db(JdbcKvStore store) {
    return ((JdbcStore) store).state().db;
  }
}
