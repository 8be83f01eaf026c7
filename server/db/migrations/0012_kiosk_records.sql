-- Records a door kiosk made (docs/decisions/011-door-kiosk.md, "Records and sync"). A record is kept as it
-- arrived, under the client's id: a second send of the same id changes nothing. Records, admissions and
-- conflicts are append-only; a conflict is only ever marked resolved.

CREATE TABLE kiosk_records (
  id          TEXT PRIMARY KEY,                  -- the kiosk's UUID v4
  kind        TEXT NOT NULL,
  device_id   TEXT NOT NULL REFERENCES kiosk_devices(id),
  session_id  TEXT NOT NULL,
  room_id     TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  made_at     INTEGER NOT NULL,                  -- the kiosk's clock
  received_at INTEGER NOT NULL,                  -- the server's clock
  online      INTEGER NOT NULL CHECK (online IN (0, 1)),
  body        TEXT NOT NULL,                     -- JSON, as signed
  signature   TEXT NOT NULL,                     -- the device's, base64 r||s
  body_hash   TEXT NOT NULL,                     -- SHA-256 hex of the canonical record without its signature
  flags       TEXT NOT NULL DEFAULT '[]',        -- JSON array: offline, late_upload, would_refuse:<code>, ...
  log_index   INTEGER                            -- its kiosk.<kind> event
);
CREATE INDEX kiosk_records_session ON kiosk_records(session_id, room_id, kind);
CREATE TRIGGER kiosk_records_no_update BEFORE UPDATE ON kiosk_records BEGIN SELECT RAISE(ABORT, 'kiosk_records are append-only'); END;
CREATE TRIGGER kiosk_records_no_delete BEFORE DELETE ON kiosk_records BEGIN SELECT RAISE(ABORT, 'kiosk_records are append-only'); END;

-- One row per admission record: a candidate admitted at two doors has two rows (and a two_doors conflict).
CREATE TABLE admissions (
  record_id       TEXT PRIMARY KEY REFERENCES kiosk_records(id),
  session_id      TEXT NOT NULL,
  candidate_id    TEXT NOT NULL,
  ticket_number   TEXT NOT NULL,
  room_id         TEXT NOT NULL,                 -- the door: the room ...
  device_id       TEXT NOT NULL,                 -- ... and the tablet
  user_id         TEXT NOT NULL,
  at              INTEGER NOT NULL,              -- the kiosk's clock when it admitted
  id_check        TEXT NOT NULL CHECK (id_check IN ('matched', 'override')),
  override_reason TEXT,                          -- id_forgotten, supervisor_word, other
  override_note   TEXT
);
CREATE INDEX admissions_candidate ON admissions(session_id, candidate_id);
CREATE TRIGGER admissions_no_update BEFORE UPDATE ON admissions BEGIN SELECT RAISE(ABORT, 'admissions are append-only'); END;
CREATE TRIGGER admissions_no_delete BEFORE DELETE ON admissions BEGIN SELECT RAISE(ABORT, 'admissions are append-only'); END;

CREATE TABLE kiosk_conflicts (
  id          TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL,
  room_id     TEXT,
  kind        TEXT NOT NULL CHECK (kind IN ('two_doors', 'opened_twice', 'revoked_device', 'seal_mismatch')),
  subject     TEXT NOT NULL,                     -- the candidate, packet or device it is about
  record_ids  TEXT NOT NULL,                     -- JSON array, the earlier record(s) first
  created_at  INTEGER NOT NULL,
  resolved_by TEXT,
  resolved_at INTEGER
);
CREATE INDEX kiosk_conflicts_session ON kiosk_conflicts(session_id, created_at);
CREATE TRIGGER kiosk_conflicts_no_delete BEFORE DELETE ON kiosk_conflicts BEGIN SELECT RAISE(ABORT, 'kiosk_conflicts are kept'); END;
CREATE TRIGGER kiosk_conflicts_resolve_only BEFORE UPDATE ON kiosk_conflicts
  WHEN OLD.resolved_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.record_ids IS NOT OLD.record_ids
    OR NEW.session_id IS NOT OLD.session_id OR NEW.subject IS NOT OLD.subject
  BEGIN SELECT RAISE(ABORT, 'a kiosk conflict is only marked resolved, once'); END;
