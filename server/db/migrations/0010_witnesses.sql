-- Cosignatures of outside witnesses (c2sp.org/tlog-cosignature, cosignature/v1) on this log's checkpoints,
-- stored only after they verified against the configured witness key (docs/decisions/009-log-witness.md).
CREATE TABLE log_cosignatures (
  size        INTEGER NOT NULL REFERENCES log_checkpoints(size),
  witness     TEXT NOT NULL,              -- the witness's vkey (name+keyid+base64(0x04||key))
  line        TEXT NOT NULL,              -- the signature line as the witness sent it, without its newline
  time        INTEGER NOT NULL,           -- the cosignature's timestamp (POSIX seconds)
  received_at INTEGER NOT NULL,
  PRIMARY KEY (size, witness)
);

CREATE TRIGGER log_cosignatures_no_update BEFORE UPDATE ON log_cosignatures BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
CREATE TRIGGER log_cosignatures_no_delete BEFORE DELETE ON log_cosignatures BEGIN SELECT RAISE(ABORT, 'log_cosignatures is append-only'); END;
