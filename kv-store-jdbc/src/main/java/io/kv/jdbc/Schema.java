package io.kv.jdbc;

import io.kv.ConfigurationException;
import io.kv.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Creates or validates a store's tables on start, as its {@link SchemaMode} says. */
final class Schema {
  private Schema() {}

  /** The columns the store reads and writes, per table suffix. */
  private static final String[][] TABLES = {
    {"namespaces", "name, description, owner, secret, default_ttl_ms, max_versions, created_at, updated_at"},
    {"entries", "namespace, entry_key, value_type, value_bytes, version, created_at, updated_at, expires_at, metadata, tags,"
        + " change, principal, reason, history_from, revision"},
    {"history", "namespace, entry_key, version, value_type, value_bytes, change, principal, changed_at, reason"},
    {"changes", "seq, origin, namespace, entry_key, version, change, principal, changed_at"},
  };

  static void prepare(Config config, Db db) {
    switch (config.schemaMode()) {
      case CREATE:
        create(config, db);
        validate(config, db);
        break;
      case VALIDATE:
        validate(config, db);
        break;
      default:
        break;
    }
  }

  /** The statements of the dialect's script with the prefix in place. */
  static List<String> statements(Dialect dialect, String prefix) {
    String script;
    // Through the module's own class, not its class loader: on the module path a class loader
    // finds only resources of opened packages, and the script packages stay encapsulated.
    try (InputStream in = Schema.class.getResourceAsStream("/" + dialect.schemaScript())) {
      if (in == null) {
        throw new IllegalStateException("schema script " + dialect.schemaScript() + " is missing from the jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dialect.schemaScript(), e);
    }
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String s : sql.toString().replace("${prefix}", prefix).split(";")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  private static void create(Config config, Db db) {
    Dialect dialect = db.dialect;
    String schema = config.schema();
    if (schema != null && dialect == Dialect.SQLITE) {
      throw new ConfigurationException("SchemaMode.CREATE with a schema is not supported on SQLite; run "
          + dialect.schemaScript() + " in the attached database yourself");
    }
    try (Connection c = config.dataSource().getConnection(); Statement s = c.createStatement()) {
      String restore = null;
      if (schema != null) {
        restore = currentSchema(c, dialect);
        s.execute((dialect == Dialect.POSTGRESQL ? "SET search_path TO " : "SET SCHEMA ") + schema);
      }
      try {
        if (dialect == Dialect.SQLITE) {
          // Only takes effect on a new, empty file: deleted rows then give their pages back.
          s.execute("PRAGMA auto_vacuum = INCREMENTAL");
          try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
            rs.next();
          }
        }
        if (dialect == Dialect.H2) {
          // H2 keeps freed chunks for RETENTION_TIME (default 45 s) before it reuses their space,
          // so a busy file grows by everything written in that time (measured: 25 MB for 1 MB of
          // live values after 33k writes in 4 s). One second bounds that; 0 would be smaller
          // still but H2 documents it as unsafe on power loss. Needs admin rights; best effort.
          try {
            s.execute("SET RETENTION_TIME 1000");
          } catch (SQLException e) {
            LoggerFactory.getLogger(Schema.class).info("cannot SET RETENTION_TIME on H2 (SQL state {}); add "
                + "RETENTION_TIME=1000 to the JDBC URL to keep the file small", e.getSQLState());
          }
        }
        boolean auto = c.getAutoCommit();
        for (String sql : statements(dialect, config.tablePrefix())) {
          s.execute(sql);
        }
        if (!auto) {
          c.commit();
        }
      } finally {
        if (restore != null) {
          s.execute((dialect == Dialect.POSTGRESQL ? "SET search_path TO " : "SET SCHEMA ") + restore);
        }
      }
    } catch (SQLException e) {
      throw new StorageException("cannot create the kv tables with " + dialect.schemaScript() + ": SQL state "
          + e.getSQLState(), e);
    }
  }

  private static String currentSchema(Connection c, Dialect dialect) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(dialect == Dialect.POSTGRESQL ? "SHOW search_path" : "SELECT CURRENT_SCHEMA")) {
      rs.next();
      String v = rs.getString(1);
      return dialect == Dialect.POSTGRESQL ? v : "\"" + v.replace("\"", "\"\"") + "\"";
    }
  }

  private static void validate(Config config, Db db) {
    try (Connection c = config.dataSource().getConnection(); Statement s = c.createStatement()) {
      String[] names = {db.namespaces, db.entries, db.history, db.changes};
      for (int i = 0; i < TABLES.length; i++) {
        try (ResultSet rs = s.executeQuery("SELECT " + TABLES[i][1] + " FROM " + names[i] + " WHERE 1 = 0")) {
          rs.next();
        } catch (SQLException e) {
          if (!c.getAutoCommit()) {
            c.rollback();
          }
          throw new ConfigurationException("kv table " + names[i] + " is missing or lacks columns (" + TABLES[i][1]
              + "); run the script " + db.dialect.schemaScript() + " from the kv-store-jdbc jar with ${prefix} = "
              + config.tablePrefix() + ", or build the store with SchemaMode.CREATE", e);
        }
      }
    } catch (SQLException e) {
      throw new StorageException("cannot validate the kv tables: SQL state " + e.getSQLState(), e);
    }
  }
}
