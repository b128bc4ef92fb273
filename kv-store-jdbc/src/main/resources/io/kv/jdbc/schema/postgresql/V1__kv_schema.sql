-- kv schema, version 1, for PostgreSQL 12 or later.
-- ${prefix} is the store's table prefix (default kv_). Idempotent: safe to run again.
-- Keys use the "C" collation, so that they compare as UTF-8 bytes (Unicode code point order)
-- and a prefix scan is a range scan of the primary key.

CREATE TABLE IF NOT EXISTS ${prefix}namespaces (
  name           VARCHAR(64) COLLATE "C" NOT NULL PRIMARY KEY,
  description    VARCHAR(1024) NOT NULL,
  owner          VARCHAR(256)  NOT NULL,
  secret         BOOLEAN       NOT NULL,
  default_ttl_ms BIGINT,
  max_versions   INTEGER       NOT NULL,
  created_at     BIGINT        NOT NULL,
  updated_at     BIGINT        NOT NULL
);

-- An entry row holds its current version whole, with the record of who wrote it, how and why
-- (change, principal, reason; the time is updated_at). The history table holds the earlier
-- versions a namespace keeps (max_versions), and the current one only when a restore gave a
-- record of it that differs from the entry; history_from is the lowest version the history table
-- may hold for the entry, null when it holds none. A namespace keeping no earlier versions never
-- writes the history table. revision is the seq of the change-log row of the entry's last
-- change: the store-wide revision an entry read carries.
CREATE TABLE IF NOT EXISTS ${prefix}entries (
  namespace   VARCHAR(64) COLLATE "C" NOT NULL,
  entry_key   TEXT COLLATE "C" NOT NULL,
  value_type  VARCHAR(16) NOT NULL,
  value_bytes BYTEA       NOT NULL,
  version     BIGINT      NOT NULL,
  created_at  BIGINT      NOT NULL,
  updated_at  BIGINT      NOT NULL,
  expires_at  BIGINT,
  metadata    TEXT        NOT NULL,
  tags        TEXT        NOT NULL,
  change       VARCHAR(16)  NOT NULL DEFAULT 'UPDATED',
  principal    VARCHAR(256) NOT NULL DEFAULT 'system',
  reason       TEXT,
  history_from BIGINT,
  revision     BIGINT     NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, entry_key)
);

CREATE INDEX IF NOT EXISTS ${prefix}entries_expires_at ON ${prefix}entries (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${prefix}history (
  namespace   VARCHAR(64) COLLATE "C" NOT NULL,
  entry_key   TEXT COLLATE "C" NOT NULL,
  version     BIGINT       NOT NULL,
  value_type  VARCHAR(16)  NOT NULL,
  value_bytes BYTEA        NOT NULL,
  change      VARCHAR(16)  NOT NULL,
  principal   VARCHAR(256) NOT NULL,
  changed_at  BIGINT       NOT NULL,
  reason      TEXT,
  PRIMARY KEY (namespace, entry_key, version)
);

-- seq is the store's revision. A write takes it from the sequence before it writes the entry
-- row, so that the row and its change-log row carry the same number.
CREATE SEQUENCE IF NOT EXISTS ${prefix}changes_seq;

CREATE TABLE IF NOT EXISTS ${prefix}changes (
  seq        BIGINT NOT NULL DEFAULT nextval('${prefix}changes_seq') PRIMARY KEY,
  origin     VARCHAR(64)  NOT NULL,
  namespace  VARCHAR(64)  NOT NULL,
  entry_key  VARCHAR(512) NOT NULL,
  version    BIGINT       NOT NULL,
  change     VARCHAR(16)  NOT NULL,
  principal  VARCHAR(256) NOT NULL,
  changed_at BIGINT       NOT NULL
);
