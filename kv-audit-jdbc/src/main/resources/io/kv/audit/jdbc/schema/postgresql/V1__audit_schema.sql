-- kv audit table, version 1, for PostgreSQL 12 or later.
-- ${prefix} is the sink's table prefix (default kv_), ${schema} is empty or "<schema>.".
-- Idempotent: safe to run again.
-- One row per audited operation, plus the anchor rows that start a chain (kind START) or say
-- where a chain starts after retention deleted its oldest rows (kind ANCHOR). Rows of one chain
-- are linked by hash: hash = SHA-256(canonical form of the row, including prev_hash). Times are
-- epoch milliseconds. Never a value. A summary row (JdbcAuditSink.Builder.summarizeReads) stands
-- for read_count reads of one group, the first at at_ms and the last at last_at_ms; an ordinary
-- row has read_count 1 and no last_at_ms.

CREATE TABLE IF NOT EXISTS ${schema}${prefix}audit (
  chain_id     VARCHAR(36) COLLATE "C" NOT NULL,
  seq          BIGINT       NOT NULL,
  kind         VARCHAR(8)   NOT NULL,
  at_ms        BIGINT       NOT NULL,
  principal    VARCHAR(256) NOT NULL,
  action       VARCHAR(32),
  namespace    VARCHAR(64) COLLATE "C",
  entry_key    TEXT COLLATE "C",
  success      BOOLEAN      NOT NULL,
  error_kind   VARCHAR(256),
  read_count   BIGINT       NOT NULL DEFAULT 1,
  last_at_ms   BIGINT,
  anchor_chain VARCHAR(36),
  anchor_seq   BIGINT,
  anchor_hash  VARCHAR(64),
  prev_hash    VARCHAR(64)  NOT NULL,
  hash         VARCHAR(64)  NOT NULL,
  PRIMARY KEY (chain_id, seq)
);

CREATE INDEX IF NOT EXISTS ${prefix}audit_time ON ${schema}${prefix}audit (at_ms, chain_id, seq);
CREATE INDEX IF NOT EXISTS ${prefix}audit_namespace_time ON ${schema}${prefix}audit (namespace, at_ms);
CREATE INDEX IF NOT EXISTS ${prefix}audit_principal_time ON ${schema}${prefix}audit (principal, at_ms);
