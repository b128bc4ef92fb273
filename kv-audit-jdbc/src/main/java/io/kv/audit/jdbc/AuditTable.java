package io.kv.audit.jdbc;

import io.kv.StorageException;
import io.kv.jdbc.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The SQL of the audit table. Identifiers come from the builder's checked prefix and schema,
 * never from input; every value is a bind parameter. Thread-safe: it holds no connection.
 */
final class AuditTable {
  // Rows per INSERT statement in a batch: one statement of many rows costs the database far less
  // than as many one-row statements; 50 rows are 850 parameters, within SQLite's oldest limit (999).
  private static final int ROWS_PER_STATEMENT = 50;
  private static final int FIELDS = 17;

  static final String COLUMNS = "chain_id, seq, kind, at_ms, principal, action, namespace, entry_key, success,"
      + " error_kind, read_count, last_at_ms, anchor_chain, anchor_seq, anchor_hash, prev_hash, hash";

  final DataSource dataSource;
  final Dialect dialect;
  final String table;
  private final String schemaPart;
  private final String prefix;

  AuditTable(DataSource dataSource, Dialect dialect, String schema, String prefix) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.schemaPart = schema == null ? "" : schema + ".";
    this.prefix = prefix;
    this.table = schemaPart + prefix + "audit";
  }

  static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      if (product.contains("postgres")) {
        return Dialect.POSTGRESQL;
      }
      if (product.contains("h2")) {
        return Dialect.H2;
      }
      if (product.contains("sqlite")) {
        return Dialect.SQLITE;
      }
      throw new IllegalArgumentException("unsupported database '" + c.getMetaData().getDatabaseProductName()
          + "'; give the dialect to the builder if it is compatible with PostgreSQL, H2 or SQLite");
    } catch (SQLException e) {
      throw new StorageException("cannot read the database's metadata: SQL state " + e.getSQLState(), e);
    }
  }

  /** The classpath resource of the dialect's audit script. */
  static String script(Dialect dialect) {
    return "io/kv/audit/jdbc/schema/" + dialect.name().toLowerCase(Locale.ROOT) + "/V1__audit_schema.sql";
  }

  void create() {
    if (!schemaPart.isEmpty() && dialect == Dialect.SQLITE) {
      throw new IllegalStateException("SchemaMode.CREATE with a schema is not supported on SQLite; run "
          + script(dialect) + " in the attached database yourself");
    }
    String text;
    try (InputStream in = AuditTable.class.getClassLoader().getResourceAsStream(script(dialect))) {
      if (in == null) {
        throw new IllegalStateException("schema script " + script(dialect) + " is missing from the jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + script(dialect), e);
    }
    StringBuilder sql = new StringBuilder();
    text.lines().filter(l -> !l.strip().startsWith("--")).forEach(l -> sql.append(l).append('\n'));
    String script = sql.toString().replace("${schema}", schemaPart).replace("${prefix}", prefix);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String statement : script.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement.strip());
        }
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
    } catch (SQLException e) {
      throw new StorageException("cannot create the audit table " + table + " with " + script(dialect)
          + ": SQL state " + e.getSQLState(), e);
    }
  }

  void validate() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM " + table + " WHERE 1 = 0")) {
      rs.next();
    } catch (SQLException e) {
      throw new StorageException("audit table " + table + " is missing or lacks columns (" + COLUMNS
          + "); run the script " + script(dialect) + " from the kv-audit-jdbc jar with ${prefix} = " + prefix
          + ", or build the sink with SchemaMode.CREATE", e);
    }
  }

  void insert(Row r) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insertSql(1))) {
      bindRow(ps, 0, r);
      ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
  }

  /**
   * Inserts {@code rows} in one transaction, in list order: all of them are committed or none.
   * The connection's auto-commit is switched off for the batch and restored after.
   */
  void insertAll(List<Row> rows) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        insertOn(c, rows);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  /**
   * Inserts {@code rows} on {@code c}, leaving the transaction to its owner: as statements of
   * {@link #ROWS_PER_STATEMENT} rows each, batched, then one statement of the rest.
   */
  void insertOn(Connection c, List<Row> rows) throws SQLException {
    int full = rows.size() / ROWS_PER_STATEMENT;
    if (full > 0) {
      try (PreparedStatement ps = c.prepareStatement(insertSql(ROWS_PER_STATEMENT))) {
        for (int i = 0; i < full; i++) {
          bindRows(ps, rows.subList(i * ROWS_PER_STATEMENT, (i + 1) * ROWS_PER_STATEMENT));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    List<Row> rest = rows.subList(full * ROWS_PER_STATEMENT, rows.size());
    if (!rest.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(insertSql(rest.size()))) {
        bindRows(ps, rest);
        ps.executeUpdate();
      }
    }
  }

  private static void bindRows(PreparedStatement ps, List<Row> rows) throws SQLException {
    for (int i = 0; i < rows.size(); i++) {
      bindRow(ps, i * FIELDS, rows.get(i));
    }
  }

  /** An INSERT of {@code n} rows. */
  private String insertSql(int n) {
    String one = "(?" + ", ?".repeat(FIELDS - 1) + ")";
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + COLUMNS + ") VALUES ").append(one);
    for (int i = 1; i < n; i++) {
      sql.append(", ").append(one);
    }
    return sql.toString();
  }

  /** Runs {@code sql} with {@code params} and reads every row. */
  List<Row> rows(String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), rs.getString(10),
              rs.getLong(11), nullableLong(rs, 12), rs.getString(13), nullableLong(rs, 14), rs.getString(15),
              rs.getString(16), rs.getString(17)));
        }
      }
      end(c);
      return out;
    }
  }

  /** Per chain, in chain order: the lowest and highest sequence number among rows matching {@code where}. */
  Map<String, long[]> chains(String where, Object... params) throws SQLException {
    String sql = "SELECT chain_id, MIN(seq), MAX(seq) FROM " + table + where + " GROUP BY chain_id ORDER BY chain_id";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      Map<String, long[]> out = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
      end(c);
      return out;
    }
  }

  /** The anchors that name {@code chain}: sequence number to previous hash. */
  NavigableMap<Long, String> anchors(String chain) throws SQLException {
    NavigableMap<Long, String> out = new TreeMap<>();
    for (Row a : rows("SELECT " + COLUMNS + " FROM " + table + " WHERE kind = ? AND anchor_chain = ?", Row.ANCHOR, chain)) {
      out.put(a.anchorSeq(), a.anchorHash());
    }
    return out;
  }

  /** Runs an update and returns the count of rows it changed. */
  int update(String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      int n = ps.executeUpdate();
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return n;
    }
  }

  /** A query of one nullable number. */
  Long number(String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      Long out = null;
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long v = rs.getLong(1);
          out = rs.wasNull() ? null : v;
        }
      }
      end(c);
      return out;
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void end(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }

  /** Binds {@code r} to the parameters after the first {@code offset}. */
  private static void bindRow(PreparedStatement ps, int offset, Row r) throws SQLException {
    ps.setString(offset + 1, r.chain());
    ps.setLong(offset + 2, r.seq());
    ps.setString(offset + 3, r.kind());
    ps.setLong(offset + 4, r.atMillis());
    ps.setString(offset + 5, r.principal());
    ps.setString(offset + 6, r.action());
    ps.setString(offset + 7, r.namespace());
    ps.setString(offset + 8, r.key());
    ps.setBoolean(offset + 9, r.success());
    ps.setString(offset + 10, r.errorKind());
    ps.setLong(offset + 11, r.readCount());
    setNullableLong(ps, offset + 12, r.lastAtMillis());
    ps.setString(offset + 13, r.anchorChain());
    setNullableLong(ps, offset + 14, r.anchorSeq());
    ps.setString(offset + 15, r.anchorHash());
    ps.setString(offset + 16, r.prevHash());
    ps.setString(offset + 17, r.hash());
  }

  private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, (String) p);
      }
    }
  }
}
