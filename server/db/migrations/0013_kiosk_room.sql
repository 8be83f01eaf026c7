-- In the exam room (R6.3, R7.1; docs/decisions/011-door-kiosk.md): incidents recorded on the door kiosk, the
-- items seized with them, their confirmations (a second invigilator, Art. 18 of MOE Order No. 33) and the
-- candidate's refusal to sign, and the examiners' signed practical score sheets. Every row comes from one
-- stored kiosk record (its client id is the key). All four tables are append-only: a correction of a score
-- sheet is a new sheet that names the one it replaces.

CREATE TABLE kiosk_incidents (
  id              TEXT PRIMARY KEY,           -- the kiosk record's client id
  session_id      TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT NOT NULL REFERENCES rooms(id),
  device_id       TEXT NOT NULL,
  recorded_by     TEXT NOT NULL REFERENCES users(id),
  candidate_id    TEXT,
  kind            TEXT NOT NULL,
  at              INTEGER NOT NULL,           -- when it happened (kiosk clock)
  description     TEXT NOT NULL,
  photo           TEXT,                       -- data:image/jpeg;base64,… ≤ 300 KB
  receipt_number  TEXT,                       -- the receipt given for seized items
  stopped_at      INTEGER,                    -- evacuation: the exam stopped
  restarted_at    INTEGER,                    -- evacuation: the exam restarted (moves the finish)
  made_at         INTEGER NOT NULL,
  stored_at       INTEGER NOT NULL
);
CREATE INDEX kiosk_incidents_room ON kiosk_incidents (session_id, room_id, at);

CREATE TABLE kiosk_seized_items (
  incident_id TEXT NOT NULL REFERENCES kiosk_incidents(id),
  position    INTEGER NOT NULL,
  item        TEXT NOT NULL,
  count       INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (incident_id, position)
);

CREATE TABLE kiosk_incident_confirmations (
  id          TEXT PRIMARY KEY,               -- the incident_confirm record's client id
  incident_id TEXT NOT NULL REFERENCES kiosk_incidents(id),
  type        TEXT NOT NULL CHECK (type IN ('second', 'refused')),
  user_id     TEXT NOT NULL REFERENCES users(id), -- the second invigilator, or who recorded the refusal
  check_kind  TEXT CHECK (check_kind IN ('online', 'offline')),
  made_at     INTEGER NOT NULL,
  stored_at   INTEGER NOT NULL
);
-- One second signature and one refusal per incident.
CREATE UNIQUE INDEX kiosk_incident_confirmations_once ON kiosk_incident_confirmations (incident_id, type);

CREATE TABLE kiosk_score_sheets (
  id           TEXT PRIMARY KEY,              -- the score_sheet record's client id
  session_id   TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id      TEXT NOT NULL REFERENCES rooms(id),
  candidate_id TEXT NOT NULL,
  items        TEXT NOT NULL,                 -- JSON [{itemId, score}]
  examiner_id  TEXT NOT NULL REFERENCES users(id),
  check_kind   TEXT NOT NULL CHECK (check_kind IN ('online', 'offline')),
  recorded_by  TEXT NOT NULL REFERENCES users(id),
  device_id    TEXT NOT NULL,
  signature    TEXT NOT NULL,                 -- the device's signature of the record, kept with the sheet
  replaces     TEXT UNIQUE REFERENCES kiosk_score_sheets(id),
  reason       TEXT,
  made_at      INTEGER NOT NULL,
  stored_at    INTEGER NOT NULL,
  CHECK ((replaces IS NULL) = (reason IS NULL))
);
CREATE INDEX kiosk_score_sheets_candidate ON kiosk_score_sheets (session_id, candidate_id);

CREATE TRIGGER kiosk_incidents_no_update BEFORE UPDATE ON kiosk_incidents BEGIN SELECT RAISE(ABORT, 'kiosk_incidents is append-only'); END;
CREATE TRIGGER kiosk_incidents_no_delete BEFORE DELETE ON kiosk_incidents BEGIN SELECT RAISE(ABORT, 'kiosk_incidents is append-only'); END;
CREATE TRIGGER kiosk_seized_items_no_update BEFORE UPDATE ON kiosk_seized_items BEGIN SELECT RAISE(ABORT, 'kiosk_seized_items is append-only'); END;
CREATE TRIGGER kiosk_seized_items_no_delete BEFORE DELETE ON kiosk_seized_items BEGIN SELECT RAISE(ABORT, 'kiosk_seized_items is append-only'); END;
CREATE TRIGGER kiosk_incident_confirmations_no_update BEFORE UPDATE ON kiosk_incident_confirmations BEGIN SELECT RAISE(ABORT, 'kiosk_incident_confirmations is append-only'); END;
CREATE TRIGGER kiosk_incident_confirmations_no_delete BEFORE DELETE ON kiosk_incident_confirmations BEGIN SELECT RAISE(ABORT, 'kiosk_incident_confirmations is append-only'); END;
CREATE TRIGGER kiosk_score_sheets_no_update BEFORE UPDATE ON kiosk_score_sheets BEGIN SELECT RAISE(ABORT, 'kiosk_score_sheets is append-only'); END;
CREATE TRIGGER kiosk_score_sheets_no_delete BEFORE DELETE ON kiosk_score_sheets BEGIN SELECT RAISE(ABORT, 'kiosk_score_sheets is append-only'); END;
