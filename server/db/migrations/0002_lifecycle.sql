-- 0002: the exam lifecycle (issue 3): occupations, calendar, batch plans, exam sessions, announcements,
-- candidates and their review and fees, sites and rooms, seating, staff assignments, inspections, tickets.
-- Times are epoch milliseconds (UTC); civil dates are 'YYYY-MM-DD' in China Standard Time.

CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- 职业/工种 with levels (5 = 五级 … 1 = 一级) and subjects with pass marks.
CREATE TABLE occupations (
  code       TEXT PRIMARY KEY,            -- e.g. 4-01-02-01 (national occupational classification) or local code
  name       TEXT NOT NULL,
  hazardous  INTEGER NOT NULL DEFAULT 0,  -- R6.5: practical exams with physical hazards
  created_at INTEGER NOT NULL
);
CREATE TABLE occupation_levels (
  occupation_code TEXT NOT NULL REFERENCES occupations(code),
  level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  conditions      TEXT NOT NULL DEFAULT '', -- R3.2: eligibility conditions of the national standard
  PRIMARY KEY (occupation_code, level)
);
CREATE TABLE subjects (
  id              TEXT PRIMARY KEY,
  occupation_code TEXT NOT NULL REFERENCES occupations(code),
  level           INTEGER NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('theory', 'practical', 'other')),
  name            TEXT NOT NULL,
  pass_mark       INTEGER NOT NULL,
  max_mark        INTEGER NOT NULL,
  FOREIGN KEY (occupation_code, level) REFERENCES occupation_levels(occupation_code, level)
);

-- The working-day calendar as data (official State Council lists imported by an administrator).
CREATE TABLE holiday_years (
  year       INTEGER PRIMARY KEY,
  data       TEXT NOT NULL,               -- JSON HolidayYear (server/domain/calendar)
  updated_at INTEGER NOT NULL
);

-- A batch plan (认定计划), R2.1/R2.2.
CREATE TABLE batches (
  id               TEXT PRIMARY KEY,
  title            TEXT NOT NULL,
  occupation_code  TEXT NOT NULL REFERENCES occupations(code),
  level            INTEGER NOT NULL,
  status           TEXT NOT NULL,         -- server/domain/lifecycle state table
  plan             TEXT NOT NULL,         -- JSON of the R2.2 fields (time, place, arrangement, method, candidates, staffing)
  exam_start_date  TEXT NOT NULL,
  exam_end_date    TEXT NOT NULL,
  filed_on         TEXT,                  -- date filed with the municipal centre (市职鉴中心)
  centre_reference TEXT,                  -- the centre's reference for the filing
  fee_cents        INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

-- One sitting of one subject (场次): theory or practical, at a site, at a time.
CREATE TABLE exam_sessions (
  id          TEXT PRIMARY KEY,
  batch_id    TEXT NOT NULL REFERENCES batches(id),
  subject_id  TEXT NOT NULL REFERENCES subjects(id),
  site_id     TEXT REFERENCES sites(id),
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'scheduled',  -- scheduled, suspended (停考, R5.4), completed
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX exam_sessions_batch ON exam_sessions(batch_id);

-- R2.3 announcement (公告): the printable text's fields.
CREATE TABLE announcements (
  id            TEXT PRIMARY KEY,
  batch_id      TEXT NOT NULL UNIQUE REFERENCES batches(id),
  published_on  TEXT NOT NULL,
  content       TEXT NOT NULL,            -- JSON: content and method, where/until when/how to register, conditions, fees, subjects
  created_at    INTEGER NOT NULL
);

-- Candidates (考生) registered for a batch. Personal data lives here only; the custody log refers to a
-- candidate by id and a salted hash (settings.pii_salt) so that this row can be erased when retention ends.
CREATE TABLE candidates (
  id               TEXT PRIMARY KEY,
  batch_id         TEXT NOT NULL REFERENCES batches(id),
  name             TEXT,
  resident_id      TEXT,                  -- GB 11643, validated
  resident_id_hash TEXT NOT NULL,         -- hex HMAC/SHA-256(salt || id number): what the log carries
  gender           TEXT,
  birth_date       TEXT,
  phone            TEXT,
  details          TEXT NOT NULL DEFAULT '{}', -- JSON: education, training unit, work years, earlier certificate ...
  training_unit    TEXT,
  photo            BLOB,
  photo_type       TEXT,
  status           TEXT NOT NULL,         -- registered, approved, rejected, withdrawn
  review_reason    TEXT,
  erased_at        INTEGER,               -- PIPL: personal data removed, the row kept for the record
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (batch_id, resident_id_hash)
);
CREATE INDEX candidates_batch ON candidates(batch_id, status);

CREATE TABLE candidate_attachments (
  id           TEXT PRIMARY KEY,
  candidate_id TEXT NOT NULL REFERENCES candidates(id),
  kind         TEXT NOT NULL,             -- id_card, certificate, experience, report_form
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes        BLOB NOT NULL,
  sha256       TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);

-- R3.3: the fee invoice is the voucher for the admission ticket.
CREATE TABLE payments (
  candidate_id   TEXT PRIMARY KEY REFERENCES candidates(id),
  invoice_number TEXT NOT NULL UNIQUE,
  amount_cents   INTEGER NOT NULL,
  paid_on        TEXT NOT NULL,
  recorded_at    INTEGER NOT NULL
);

-- R7.3: earlier subject results (a pass is valid 1 year, one retake), by salted ID hash.
CREATE TABLE subject_results (
  id               TEXT PRIMARY KEY,
  resident_id_hash TEXT NOT NULL,
  occupation_code  TEXT NOT NULL,
  level            INTEGER NOT NULL,
  subject_kind     TEXT NOT NULL,
  exam_date        TEXT NOT NULL,
  passed           INTEGER NOT NULL,
  attempt          INTEGER NOT NULL DEFAULT 1,
  created_at       INTEGER NOT NULL
);
CREATE INDEX subject_results_person ON subject_results(resident_id_hash, occupation_code, level);

-- Sites and rooms (R4.1, R6.5).
CREATE TABLE sites (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  address    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE rooms (
  id           TEXT PRIMARY KEY,
  site_id      TEXT NOT NULL REFERENCES sites(id),
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('theory', 'practical', 'nonstandard')),
  capacity     INTEGER NOT NULL CHECK (capacity > 0),
  single_desks INTEGER NOT NULL DEFAULT 1,
  layout       TEXT NOT NULL DEFAULT '',   -- e.g. "6 rows x 5, 80 cm apart"
  equipment    TEXT NOT NULL DEFAULT '[]', -- JSON list, practical rooms
  hazardous    INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  UNIQUE (site_id, name)
);

-- Rooms used by an exam session, and the seating plan.
CREATE TABLE session_rooms (
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT NOT NULL REFERENCES rooms(id),
  PRIMARY KEY (exam_session_id, room_id)
);
CREATE TABLE seating_runs (
  id              TEXT PRIMARY KEY,
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  seed            TEXT NOT NULL,
  keep_ticketed   INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE TABLE seats (
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  candidate_id    TEXT NOT NULL REFERENCES candidates(id),
  room_id         TEXT NOT NULL REFERENCES rooms(id),
  seat            INTEGER NOT NULL,
  seating_run_id  TEXT NOT NULL REFERENCES seating_runs(id),
  PRIMARY KEY (exam_session_id, candidate_id),
  UNIQUE (exam_session_id, room_id, seat)
);

-- R4.3 staff per session and room; this table is also the scope of invigilators and examiners.
CREATE TABLE staff_assignments (
  id              TEXT PRIMARY KEY,
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT REFERENCES rooms(id),   -- null: the whole session (supervisor, site leader of a site)
  user_id         TEXT NOT NULL REFERENCES users(id),
  duty            TEXT NOT NULL CHECK (duty IN ('invigilator', 'examiner', 'supervisor', 'site_leader')),
  created_at      INTEGER NOT NULL,
  UNIQUE (exam_session_id, room_id, user_id, duty)
);
CREATE INDEX staff_assignments_user ON staff_assignments(user_id);

-- R6.1 / R4.2 / R6.5 pre-exam inspection checklist per room.
CREATE TABLE inspection_items (
  id              TEXT PRIMARY KEY,
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT NOT NULL REFERENCES rooms(id),
  item            TEXT NOT NULL,          -- item code, e.g. desks_spaced, equipment_ready, safety_briefing
  state           TEXT NOT NULL,          -- pending, ok, defect, rectified
  defect          TEXT,
  rectification   TEXT,
  updated_at      INTEGER NOT NULL,
  UNIQUE (exam_session_id, room_id, item)
);

-- R3.4/R3.5 admission tickets: the signed QR payload and its revocation.
CREATE TABLE tickets (
  number          TEXT PRIMARY KEY,
  candidate_id    TEXT NOT NULL REFERENCES candidates(id),
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT NOT NULL REFERENCES rooms(id),
  seat            INTEGER NOT NULL,
  payload         TEXT NOT NULL,          -- the exact QR text (crypto/ ticket format)
  issued_at       INTEGER NOT NULL,
  revoked_at      INTEGER,
  revoke_reason   TEXT
);
-- One live ticket per candidate and session; a reissue revokes the old number first (R8.3-like).
CREATE UNIQUE INDEX tickets_live ON tickets(candidate_id, exam_session_id) WHERE revoked_at IS NULL;
