-- 0001: accounts, sessions, the custody log and its Merkle nodes, checkpoints, log keys.

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  roles         TEXT NOT NULL,              -- JSON array of role ids
  password_hash TEXT NOT NULL,              -- scrypt$N$r$p$salt$hash (server/services/_password.ts)
  disabled      INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,             -- hex SHA-256 of the cookie token; the token itself is never stored
  user_id     TEXT NOT NULL REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  address     TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The custody log: append-only, one row per event, canonical bytes as signed over.
CREATE TABLE log_entries (
  idx    INTEGER PRIMARY KEY,               -- 0-based position, = the event's index field
  bytes  BLOB NOT NULL,                     -- canonical event bytes (audit/_event.ts)
  leaf   BLOB NOT NULL,                     -- RFC 6962 leaf hash of bytes; also the next event's prev
  action TEXT NOT NULL,                     -- copies of event fields, for queries only
  subject_type TEXT,
  subject_id   TEXT,
  time   TEXT NOT NULL
);
CREATE INDEX log_entries_subject ON log_entries(subject_type, subject_id);

-- Hashes of every perfect subtree: node(level, idx) covers leaves [idx*2^level, (idx+1)*2^level).
CREATE TABLE log_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE log_checkpoints (
  size       INTEGER PRIMARY KEY,
  note       TEXT NOT NULL,                 -- C2SP signed note
  created_at INTEGER NOT NULL
);

-- Public halves of the log's signing keys, in order of use; private halves live in DATA_DIR/keys.
CREATE TABLE log_keys (
  vkey       TEXT PRIMARY KEY,
  since_index INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

-- Append-only in SQL too.
CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;
CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;
CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;
CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'log_checkpoints is append-only'); END;
