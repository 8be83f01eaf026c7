-- Certificates (R8.1–R8.3): the certificate key ring, the body's number configuration, the municipal centre's
-- approval reference per batch, issued certificates and reissue requests. Batches, candidates and users are
-- named by id only: the certificates service reads them through its sources port.

-- The certificate key ring (like ticket_keys): one active key signs; every key that signed a live certificate verifies.
CREATE TABLE certificate_keys (
  key_id     TEXT PRIMARY KEY CHECK (length(key_id) = 8), -- signed-note key id of (name, public key), 8 hex
  name       TEXT NOT NULL,
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE UNIQUE INDEX certificate_keys_one_active ON certificate_keys((1)) WHERE retired_at IS NULL;
CREATE TRIGGER certificate_keys_no_delete BEFORE DELETE ON certificate_keys BEGIN SELECT RAISE(ABORT, 'certificate_keys rows are kept'); END;

-- Positions 1–13 of every certificate number the body issues (R8.2): one row, set by an administrator.
CREATE TABLE certificate_body (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  category       TEXT NOT NULL CHECK (category IN ('Y', 'S')),
  ministry_code  TEXT NOT NULL CHECK (length(ministry_code) = 4),
  province_code  TEXT NOT NULL CHECK (length(province_code) = 2),
  sequence_code  TEXT NOT NULL CHECK (length(sequence_code) = 6),
  updated_by     TEXT NOT NULL,
  updated_at     INTEGER NOT NULL
);

-- The municipal centre's approval reference for a batch's results (R8.1); each change is a log event.
CREATE TABLE certificate_approvals (
  batch_id    TEXT PRIMARY KEY,
  ref         TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 100),
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);

-- Issued certificates. The number is unique, and so is (body prefix, year, level, sequence): the database, not
-- the code, keeps two certificates from sharing a number. The signed CC1 text is kept as issued.
CREATE TABLE certificates (
  number         TEXT PRIMARY KEY CHECK (length(number) = 22),
  body_prefix    TEXT NOT NULL CHECK (length(body_prefix) = 13),
  year           INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2099),
  level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
  seq            INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999999),
  candidate_id   TEXT NOT NULL,
  batch_id       TEXT NOT NULL,
  key_id         TEXT NOT NULL REFERENCES certificate_keys(key_id),
  text           TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  issued_on      TEXT NOT NULL,
  issued_at      INTEGER NOT NULL,
  issued_by      TEXT NOT NULL,
  revoked_at     INTEGER,
  revoked_reason TEXT,
  replaces       TEXT REFERENCES certificates(number),
  replaced_by    TEXT REFERENCES certificates(number) DEFERRABLE INITIALLY DEFERRED, -- written with the revocation, before its successor's row
  UNIQUE (body_prefix, year, level, seq),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
-- One live certificate per candidate and batch.
CREATE UNIQUE INDEX certificates_one_live ON certificates(batch_id, candidate_id) WHERE status = 'valid';
CREATE INDEX certificates_key ON certificates(key_id) WHERE status = 'valid';
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates BEGIN SELECT RAISE(ABORT, 'certificates are kept'); END;
-- What was signed never changes; only a revocation (once) and its successor's number are written later.
CREATE TRIGGER certificates_fixed BEFORE UPDATE ON certificates
WHEN NEW.number IS NOT OLD.number OR NEW.text IS NOT OLD.text OR NEW.key_id IS NOT OLD.key_id OR NEW.candidate_id IS NOT OLD.candidate_id
  OR NEW.batch_id IS NOT OLD.batch_id OR NEW.issued_on IS NOT OLD.issued_on OR NEW.seq IS NOT OLD.seq OR NEW.replaces IS NOT OLD.replaces
  OR OLD.status = 'revoked'
BEGIN SELECT RAISE(ABORT, 'a certificate is changed only by its revocation'); END;

-- Reissue of a lost certificate (R8.3). The holder's ID number is checked when the request is recorded and never
-- stored here (id_checked = 1 says it matched); who asked and who decided are kept.
CREATE TABLE certificate_reissues (
  id            TEXT PRIMARY KEY,
  number        TEXT NOT NULL REFERENCES certificates(number),
  state         TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  id_checked    INTEGER NOT NULL CHECK (id_checked = 1),
  reason        TEXT NOT NULL,
  requested_by  TEXT NOT NULL,
  requested_at  INTEGER NOT NULL,
  decided_by    TEXT,
  decided_at    INTEGER,
  decision_note TEXT,
  new_number    TEXT REFERENCES certificates(number),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE UNIQUE INDEX certificate_reissues_one_pending ON certificate_reissues(number) WHERE state = 'pending';
CREATE TRIGGER certificate_reissues_no_delete BEFORE DELETE ON certificate_reissues BEGIN SELECT RAISE(ABORT, 'reissue requests are kept'); END;
