-- kv schema, version 1, for SQLite 3.35 or later.
-- ${prefix} is the store's table prefix (default kv_). Idempotent: safe to run again.
-- TEXT keys compare with the BINARY collation, which is UTF-8 byte order (Unicode code point
-- order). Run once on a new file first, so that deleted rows give their pages back:
--   PRAGMA auto_vacuum = INCREMENTAL;  PRAGMA journal_mode = WAL;
-- (the store does this itself in SchemaMode.CREATE).
-- The tables are rowid tables on purpose: a WITHOUT ROWID table keeps only ~1000 bytes of a row
-- in its b-tree page and gives every larger row its own overflow page (measured: 9.5 MB for 2 MB
-- of 1 KiB values).

CREATE TABLE IF NOT EXISTS ${prefix}namespaces (
  name           TEXT    NOT NULL PRIMARY KEY,
  description    TEXT    NOT NULL,
  owner          TEXT    NOT NULL,
  secret         INTEGER NOT NULL,
  default_ttl_ms INTEGER,
  max_versions   INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

-- An entry row holds its current version whole, with the record of who wrote it, how and why
-- (change, principal, reason; the time is updated_at). The history table holds the earlier
-- versions a namespace keeps (max_versions), and the current one only when a restore gave a
-- record of it that differs from the entry; history_from is the lowest version the history table
-- may hold for the entry, null when it holds none. A namespace keeping no earlier versions never
-- writes the history table. revision is the seq of the change-log row of the entry's last
-- change: the store-wide revision an entry read carries.
CREATE TABLE IF NOT EXISTS ${prefix}entries (
  namespace   TEXT    NOT NULL,
  entry_key   TEXT    NOT NULL,
  value_type  TEXT    NOT NULL,
  value_bytes BLOB    NOT NULL,
  version     INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  expires_at  INTEGER,
  metadata    TEXT    NOT NULL,
  tags        TEXT    NOT NULL,
  change       TEXT    NOT NULL DEFAULT 'UPDATED',
  principal    TEXT    NOT NULL DEFAULT 'system',
  reason       TEXT,
  history_from INTEGER,
  revision     INTEGER     NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, entry_key)
);

CREATE INDEX IF NOT EXISTS ${prefix}entries_expires_at ON ${prefix}entries (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${prefix}history (
  namespace   TEXT    NOT NULL,
  entry_key   TEXT    NOT NULL,
  version     INTEGER NOT NULL,
  value_type  TEXT    NOT NULL,
  value_bytes BLOB    NOT NULL,
  change      TEXT    NOT NULL,
  principal   TEXT    NOT NULL,
  changed_at  INTEGER NOT NULL,
  reason      TEXT,
  PRIMARY KEY (namespace, entry_key, version)
);

-- seq is the store's revision. AUTOINCREMENT keeps sqlite_sequence, from which a write (holding
-- the write lock: BEGIN IMMEDIATE) takes the next numbers before it writes the entry row.
CREATE TABLE IF NOT EXISTS ${prefix}changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  origin     VARCHAR(64)  NOT NULL,
  namespace  VARCHAR(64)  NOT NULL,
  entry_key  TEXT         NOT NULL,
  version    INTEGER      NOT NULL,
  change     VARCHAR(16)  NOT NULL,
  principal  VARCHAR(256) NOT NULL,
  changed_at INTEGER      NOT NULL
);
