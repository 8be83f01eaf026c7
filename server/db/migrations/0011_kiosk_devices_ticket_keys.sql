-- The ticket key ring and door kiosks (docs/decisions/011-door-kiosk.md).

-- Ticket signing keys (Ed25519). The private halves live in DATA_DIR/keys/ticket-keys/<key_id>.key, never here.
-- One key is active (retired_at IS NULL, the newest); a retired key signs nothing new but stays valid for a
-- session while a live ticket of that session carries its id.
CREATE TABLE ticket_keys (
  key_id     TEXT PRIMARY KEY CHECK (length(key_id) = 8), -- signed-note key id of (name, public key), 8 hex
  name       TEXT NOT NULL,
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE UNIQUE INDEX ticket_keys_one_active ON ticket_keys((1)) WHERE retired_at IS NULL;
CREATE TRIGGER ticket_keys_no_delete BEFORE DELETE ON ticket_keys BEGIN SELECT RAISE(ABORT, 'ticket_keys rows are kept'); END;

-- Which key signed each ticket. Tickets issued before the ring get the first key's id when the server starts
-- (the migration cannot know that id: it is derived from the key in the data folder).
ALTER TABLE tickets ADD COLUMN key_id TEXT REFERENCES ticket_keys(key_id);
CREATE INDEX tickets_key_session ON tickets(exam_session_id, key_id) WHERE revoked_at IS NULL;

-- Enrolment codes: single use, 15 minutes, kept only as SHA-256 of the normalised code.
CREATE TABLE kiosk_enrolments (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES sites(id),
  label      TEXT NOT NULL,
  code_hash  TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  device_id  TEXT
);

-- Enrolled door tablets: the public half of the ECDSA P-256 key the tablet made (raw uncompressed point).
CREATE TABLE kiosk_devices (
  id            TEXT PRIMARY KEY,
  site_id       TEXT NOT NULL REFERENCES sites(id),
  label         TEXT NOT NULL,
  public_key    BLOB NOT NULL UNIQUE CHECK (length(public_key) = 65),
  state         TEXT NOT NULL CHECK (state IN ('active', 'revoked')),
  enrolment_id  TEXT NOT NULL UNIQUE REFERENCES kiosk_enrolments(id),
  enrolled_at   INTEGER NOT NULL,
  last_seen_at  INTEGER,
  revoked_at    INTEGER,
  revoked_by    TEXT REFERENCES users(id),
  revoke_reason TEXT
);
CREATE INDEX kiosk_devices_site ON kiosk_devices(site_id);
CREATE TRIGGER kiosk_devices_no_delete BEFORE DELETE ON kiosk_devices BEGIN SELECT RAISE(ABORT, 'kiosk_devices rows are kept'); END;
CREATE TRIGGER kiosk_devices_stay_revoked BEFORE UPDATE OF state ON kiosk_devices WHEN OLD.state = 'revoked'
BEGIN SELECT RAISE(ABORT, 'a revoked device stays revoked'); END;
