package io.kv.jdbc;

import io.kv.AlreadyExistsException;
import io.kv.ChangeEvent;
import io.kv.ChangeType;
import io.kv.Namespace;
import io.kv.NamespaceSettings;
import io.kv.Namespaces;
import io.kv.NotFoundException;
import io.kv.Principal;
import io.kv.StateConflictException;
import io.kv.Subscription;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Namespace administration of a JDBC store: rows of the namespaces table. Each change also writes
 * a change-log row of kind {@value Db#NAMESPACE_CHANGE} in its transaction, so change feeds of
 * other instances learn of it, and tells this store's {@link #watch} listeners once committed.
 * Thread-safe.
 */
final class JdbcNamespaces implements Namespaces {
  private final StoreState state;
  private final Db db;
  private final Principal principal;

  JdbcNamespaces(StoreState state, Principal principal) {
    this.state = state;
    this.db = state.db;
    this.principal = principal;
  }

  @Override
  public Namespace create(String name, NamespaceSettings settings) {
    state.limits.checkNamespace(name);
    Objects.requireNonNull(settings, "settings");
    return changed(state.tx.run(Tx.Op.of("create of", name), c -> {
      if (read(c, name, true).isPresent()) {
        throw new AlreadyExistsException(name, null, "namespace '" + name + "' already exists");
      }
      long now = state.clock.millis();
      try (PreparedStatement ps = c.prepareStatement(db.sql.insertNamespace)) {
        ps.setString(1, name);
        bindSettings(ps, 2, settings);
        ps.setLong(7, now);
        ps.setLong(8, now);
        ps.executeUpdate();
      }
      logChange(c, name, now);
      return new Namespace(name, settings, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now));
    }), name);
  }

  private void logChange(java.sql.Connection c, String name, long now) throws SQLException {
    try (Db.Writes w = db.new Writes(c)) {
      w.namespaceChange(name, principal, now);
      w.flush();
    }
  }

  /** Tells the watchers that {@code name} changed; returns {@code result}. */
  private <T> T changed(T result, String name) {
    state.namespaceWatchers.changed(name);
    return result;
  }

  @Override
  public Optional<Subscription> watch(Consumer<String> listener) {
    return state.namespaceWatchers.add(listener);
  }

  private static void bindSettings(PreparedStatement ps, int i, NamespaceSettings s) throws SQLException {
    ps.setString(i, s.description());
    ps.setString(i + 1, s.owner());
    ps.setBoolean(i + 2, s.secret());
    if (s.defaultTtl().isPresent()) {
      ps.setLong(i + 3, s.defaultTtl().get().toMillis());
    } else {
      ps.setNull(i + 3, Types.BIGINT);
    }
    ps.setInt(i + 4, s.maxVersions());
  }

  private Optional<Namespace> read(java.sql.Connection c, String name, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(lock ? db.sql.lockedNamespace : db.sql.namespace)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(namespace(rs)) : Optional.empty();
      }
    }
  }

  private static Namespace namespace(ResultSet rs) throws SQLException {
    return new Namespace(rs.getString(1), Db.namespaceSettings(rs, 2), Instant.ofEpochMilli(rs.getLong(7)),
        Instant.ofEpochMilli(rs.getLong(8)));
  }

  @Override
  public Optional<Namespace> get(String name) {
    state.limits.checkNamespace(name);
    return state.tx.read(Tx.Op.of("read of", name), c -> read(c, name, false));
  }

  @Override
  public List<Namespace> list() {
    List<Namespace> out = state.tx.read(Tx.Op.of("list of namespaces"), c -> {
      List<Namespace> all = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(db.sql.allNamespaces);
           ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          all.add(namespace(rs));
        }
      }
      return all;
    });
    // Names are ASCII, so UTF-16 order is code point order.
    out.sort(Comparator.comparing(Namespace::name));
    return List.copyOf(out);
  }

  @Override
  public Namespace update(String name, NamespaceSettings settings) {
    state.limits.checkNamespace(name);
    Objects.requireNonNull(settings, "settings");
    return changed(state.tx.run(Tx.Op.of("update of", name), c -> {
      Namespace cur = read(c, name, true).orElseThrow(() -> notDeclared(name));
      long now = state.clock.millis();
      try (PreparedStatement ps = c.prepareStatement(db.sql.updateNamespace)) {
        bindSettings(ps, 1, settings);
        ps.setLong(6, now);
        ps.setString(7, name);
        ps.executeUpdate();
      }
      logChange(c, name, now);
      return new Namespace(name, settings, cur.createdAt(), Instant.ofEpochMilli(now));
    }), name);
  }

  private record Removed(String key, long version, long expiresAt) {}

  @Override
  public boolean delete(String name, DeleteMode mode) {
    Objects.requireNonNull(mode, "mode");
    state.limits.checkNamespace(name);
    return state.commits.run(state.locks::lockEverything, Tx.Op.of("delete of", name), c -> {
      if (read(c, name, true).isEmpty()) {
        return Commits.Done.silent(false);
      }
      long now = state.clock.millis();
      List<Removed> removed = new ArrayList<>();
      List<ChangeEvent> events = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(db.sql.lockedNamespaceEntries)) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            removed.add(new Removed(db.getKey(rs, 1), rs.getLong(2), Db.getNullableLong(rs, 3)));
          }
        }
      }
      boolean anyLive = removed.stream().anyMatch(r -> r.expiresAt() == Db.NO_EXPIRY || r.expiresAt() > now);
      if (mode == DeleteMode.REFUSE_IF_NOT_EMPTY && anyLive) {
        throw new StateConflictException(name, null, "namespace '" + name + "' still holds entries");
      }
      try (Db.Writes w = db.new Writes(c)) {
        for (Removed r : removed) {
          boolean expired = r.expiresAt() != Db.NO_EXPIRY && r.expiresAt() <= now;
          ChangeType type = expired ? ChangeType.EXPIRED : ChangeType.DELETED;
          Principal by = expired ? Principal.SYSTEM : principal;
          long revision = w.change(name, r.key(), r.version(), type, by, now);
          events.add(new ChangeEvent(type, name, r.key(), r.version(), Instant.ofEpochMilli(now), by, revision));
        }
        w.namespaceChange(name, principal, now);
        w.flush();
      }
      for (String delete : new String[] {db.sql.deleteNamespaceHistory, db.sql.deleteNamespaceEntries}) {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
          ps.setString(1, name);
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement(db.sql.deleteNamespace)) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      return new Commits.Done<>(true, events, Optional.of(name));
    });
  }

  private static NotFoundException notDeclared(String name) {
    return new NotFoundException(name, null, "namespace '" + name + "' does not exist");
  }
}
