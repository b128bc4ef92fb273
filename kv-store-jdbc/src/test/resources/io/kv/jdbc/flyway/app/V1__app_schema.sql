-- An application's own first migration: its V1 sits beside kv's V1 in one database.
CREATE TABLE orders (
  id   BIGINT       NOT NULL PRIMARY KEY,
  item VARCHAR(100) NOT NULL
);
