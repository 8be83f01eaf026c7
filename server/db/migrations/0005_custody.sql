-- 0005: paper custody (issue 4, R5.1–R5.5). Domain records (server/domain/custody/_types.ts) are kept whole
-- as JSON in `doc`; the columns beside it are copies for lookups and constraints only.

-- The encrypted file of a paper. Ciphertext lives in the paper blob store (DATA_DIR/papers/<file_id>.enc);
-- plaintext never touches the disk. The data key is kept only wrapped by a master key (DATA_DIR/keys/master-*.key).
CREATE TABLE papers (
  id              TEXT PRIMARY KEY,
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  kind            TEXT NOT NULL,
  state           TEXT NOT NULL,
  doc             TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX papers_session ON papers(exam_session_id);

CREATE TABLE paper_files (
  paper_id        TEXT PRIMARY KEY REFERENCES papers(id),
  file_id         TEXT NOT NULL UNIQUE,       -- the container's file id (associated data of the wrapped key)
  filename        TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  plaintext_bytes INTEGER NOT NULL,
  cipher_bytes    INTEGER NOT NULL,
  cipher_sha256   TEXT NOT NULL,              -- of the stored ciphertext, to spot a swapped blob before decrypting
  wrapped_key     BLOB NOT NULL,
  master_key_id   TEXT NOT NULL,
  uploaded_by     TEXT NOT NULL REFERENCES users(id),
  uploaded_at     INTEGER NOT NULL
);

-- Per-batch decryption window (R5.2 +) and packet options; defaults apply when a batch has no row.
CREATE TABLE custody_settings (
  batch_id               TEXT PRIMARY KEY REFERENCES batches(id),
  opens_minutes_before   INTEGER NOT NULL DEFAULT 1440,
  closes_minutes_before  INTEGER NOT NULL DEFAULT 60,
  open_minutes_before    INTEGER NOT NULL DEFAULT 15,   -- packets may be opened in the room from then on
  spares_per_room        INTEGER NOT NULL DEFAULT 2
);

CREATE TABLE print_jobs (
  id              TEXT PRIMARY KEY,
  paper_id        TEXT NOT NULL REFERENCES papers(id),
  state           TEXT NOT NULL,
  doc             TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX print_jobs_paper ON print_jobs(paper_id);

CREATE TABLE packets (
  id              TEXT PRIMARY KEY,
  paper_id        TEXT NOT NULL REFERENCES papers(id),
  print_job_id    TEXT NOT NULL REFERENCES print_jobs(id),
  exam_session_id TEXT NOT NULL REFERENCES exam_sessions(id),
  room_id         TEXT REFERENCES rooms(id),
  state           TEXT NOT NULL,
  seal_number     TEXT,
  copy_first      INTEGER NOT NULL,
  copy_last       INTEGER NOT NULL,
  holder          TEXT NOT NULL,              -- 'user:<id>' or 'place:<place>'
  doc             TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX packets_paper ON packets(paper_id);
CREATE INDEX packets_session_room ON packets(exam_session_id, room_id);
-- A seal number is used once, ever (tamper-evident seals are single-use).
CREATE TABLE seal_numbers (
  seal_number TEXT PRIMARY KEY,
  packet_id   TEXT NOT NULL REFERENCES packets(id),
  applied_at  INTEGER NOT NULL
);

CREATE TABLE handovers (
  id         TEXT PRIMARY KEY,
  packet_id  TEXT NOT NULL REFERENCES packets(id),
  state      TEXT NOT NULL,
  receiver   TEXT NOT NULL REFERENCES users(id),
  doc        TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX handovers_packet ON handovers(packet_id, state);
CREATE INDEX handovers_receiver ON handovers(receiver, state);

CREATE TABLE custody_incidents (
  id         TEXT PRIMARY KEY,
  packet_id  TEXT REFERENCES packets(id),
  doc        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE disposal_lists (
  id         TEXT PRIMARY KEY,
  doc        TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE leak_reports (
  id         TEXT PRIMARY KEY,
  paper_id   TEXT NOT NULL REFERENCES papers(id),
  state      TEXT NOT NULL,
  doc        TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX leak_reports_paper ON leak_reports(paper_id, state);

-- Supervisor alerts (R5.4: supervisors see an alert at once): seal mismatches, damaged packets, leak reports.
CREATE TABLE custody_alerts (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  log_index       INTEGER NOT NULL,           -- the custody event that raised it
  subject_type    TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  acknowledged_by TEXT REFERENCES users(id),
  acknowledged_at INTEGER
);
CREATE INDEX custody_alerts_open ON custody_alerts(acknowledged_at);
