-- Scores (R7.1; server/domain/scores): theory score imports, one tally (成绩登记表) per exam session, every
-- value ever put into a tally, every action on it, and review changes (R7.3) waiting for a second person.
-- History is never lost: imports, lines and tally events are append-only; the tally row is the current state.

CREATE TABLE score_imports (
  id          TEXT PRIMARY KEY,
  batch_id    TEXT NOT NULL REFERENCES batches(id),
  file_sha256 TEXT NOT NULL,                  -- hex SHA-256 of the file as uploaded
  encoding    TEXT NOT NULL,                  -- utf-8, utf-8-bom, gb18030
  row_count   INTEGER NOT NULL,
  sessions    TEXT NOT NULL,                  -- JSON [sessionId]
  imported_by TEXT NOT NULL REFERENCES users(id),
  imported_at INTEGER NOT NULL
);
CREATE INDEX score_imports_batch ON score_imports (batch_id, imported_at);

CREATE TABLE score_tallies (
  id          TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL UNIQUE REFERENCES exam_sessions(id),
  subject_id  TEXT NOT NULL REFERENCES subjects(id),
  state       TEXT NOT NULL CHECK (state IN ('none', 'entered', 'disputed', 'verified', 'signed')),
  version     INTEGER NOT NULL,
  doc         TEXT NOT NULL,                  -- JSON of the domain Tally in its current state
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Every action on a tally, with the tally as it stood after it.
CREATE TABLE score_tally_events (
  tally_id   TEXT NOT NULL REFERENCES score_tallies(id),
  seq        INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  action     TEXT NOT NULL,                   -- enter, import, collect, second_entry, check_sheet, resolve, sign, amend
  by_user    TEXT NOT NULL REFERENCES users(id),
  at         INTEGER NOT NULL,
  reason     TEXT,
  state      TEXT NOT NULL,                   -- the state after
  import_id  TEXT REFERENCES score_imports(id),
  doc        TEXT NOT NULL,                   -- JSON snapshot of the Tally after the action
  PRIMARY KEY (tally_id, seq)
);

-- Every value put into a tally: first entry / import / collected sheet, the second keying, the sheet checked
-- against, a resolution, an amendment (a review change included).
CREATE TABLE score_lines (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  tally_id     TEXT NOT NULL REFERENCES score_tallies(id),
  version      INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('enter', 'import', 'collect', 'second_entry', 'check_sheet', 'resolve', 'amend')),
  candidate_id TEXT NOT NULL,
  items        TEXT NOT NULL,                 -- JSON [{itemId, score}]; [] = no score (a resolution dropping the line)
  sheet_id     TEXT,                          -- the kiosk sheet it came from or was checked against
  by_user      TEXT NOT NULL REFERENCES users(id),
  at           INTEGER NOT NULL,
  reason       TEXT
);
CREATE INDEX score_lines_tally ON score_lines (tally_id, version);

-- A review (R7.3) that changes a counted score: proposed by a registrar, counted once a second person confirms.
CREATE TABLE score_review_changes (
  id           TEXT PRIMARY KEY,
  review_id    TEXT NOT NULL,
  tally_id     TEXT NOT NULL REFERENCES score_tallies(id),
  session_id   TEXT NOT NULL,
  candidate_id TEXT NOT NULL,
  subject_id   TEXT NOT NULL,
  score        REAL NOT NULL,
  previous     REAL,
  reason       TEXT NOT NULL,
  proposed_by  TEXT NOT NULL REFERENCES users(id),
  proposed_at  INTEGER NOT NULL,
  confirmed_by TEXT REFERENCES users(id),
  confirmed_at INTEGER,
  CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);
-- One open change per candidate and subject at a time.
CREATE UNIQUE INDEX score_review_changes_open ON score_review_changes (candidate_id, subject_id) WHERE confirmed_at IS NULL;

CREATE TRIGGER score_imports_no_update BEFORE UPDATE ON score_imports BEGIN SELECT RAISE(ABORT, 'score_imports is append-only'); END;
CREATE TRIGGER score_imports_no_delete BEFORE DELETE ON score_imports BEGIN SELECT RAISE(ABORT, 'score_imports is append-only'); END;
CREATE TRIGGER score_tallies_no_delete BEFORE DELETE ON score_tallies BEGIN SELECT RAISE(ABORT, 'score_tallies are kept'); END;
CREATE TRIGGER score_tally_events_no_update BEFORE UPDATE ON score_tally_events BEGIN SELECT RAISE(ABORT, 'score_tally_events is append-only'); END;
CREATE TRIGGER score_tally_events_no_delete BEFORE DELETE ON score_tally_events BEGIN SELECT RAISE(ABORT, 'score_tally_events is append-only'); END;
CREATE TRIGGER score_lines_no_update BEFORE UPDATE ON score_lines BEGIN SELECT RAISE(ABORT, 'score_lines is append-only'); END;
CREATE TRIGGER score_lines_no_delete BEFORE DELETE ON score_lines BEGIN SELECT RAISE(ABORT, 'score_lines is append-only'); END;
-- A review change is confirmed once; nothing else of it changes.
CREATE TRIGGER score_review_changes_confirm_once BEFORE UPDATE ON score_review_changes
  WHEN OLD.confirmed_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.score IS NOT OLD.score OR NEW.reason IS NOT OLD.reason
    OR NEW.proposed_by IS NOT OLD.proposed_by OR NEW.candidate_id IS NOT OLD.candidate_id OR NEW.tally_id IS NOT OLD.tally_id
BEGIN SELECT RAISE(ABORT, 'a review change is confirmed once and never edited'); END;
CREATE TRIGGER score_review_changes_no_delete BEFORE DELETE ON score_review_changes BEGIN SELECT RAISE(ABORT, 'score_review_changes is append-only'); END;
