-- Results (R7.2, R7.3): a batch's publication, the results as published (a snapshot, updated only by a verified
-- review), and review requests (核查) with every step kept. Candidates and users are named by id.

-- A batch's publication (R7.2): published on a CST date, up at least through last_day; taken down on withdrawn_on.
CREATE TABLE result_publications (
  batch_id       TEXT PRIMARY KEY REFERENCES batches(id),
  published_on   TEXT NOT NULL,
  last_day       TEXT NOT NULL,
  take_down_from TEXT NOT NULL,
  provisional    INTEGER NOT NULL CHECK (provisional IN (0, 1)),
  published_by   TEXT NOT NULL,
  published_at   INTEGER NOT NULL,
  withdrawn_on   TEXT,
  withdrawn_by   TEXT,
  withdrawn_at   INTEGER
);
CREATE TRIGGER result_publications_no_delete BEFORE DELETE ON result_publications BEGIN SELECT RAISE(ABORT, 'result_publications rows are kept'); END;

-- The published result per candidate and subject. `history_id` is the subject_results row (R7.3) it wrote.
CREATE TABLE published_results (
  batch_id     TEXT NOT NULL REFERENCES result_publications(batch_id),
  candidate_id TEXT NOT NULL,
  subject_id   TEXT NOT NULL,
  ord          INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  name         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'absent', 'disqualified', 'pending')),
  score        REAL,
  pass_mark    REAL NOT NULL,
  max_mark     REAL NOT NULL,
  session_id   TEXT,
  carried      INTEGER NOT NULL DEFAULT 0,
  history_id   TEXT,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (candidate_id, subject_id)
);
CREATE INDEX published_results_batch ON published_results(batch_id, candidate_id, ord);
CREATE TRIGGER published_results_no_delete BEFORE DELETE ON published_results BEGIN SELECT RAISE(ABORT, 'published_results rows are kept'); END;

-- A review request (核查, R7.2) of one candidate's subject, and where it stands (REVIEW_MOVES).
CREATE TABLE result_reviews (
  id            TEXT PRIMARY KEY,
  batch_id      TEXT NOT NULL REFERENCES result_publications(batch_id),
  candidate_id  TEXT NOT NULL,
  subject_id    TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('requested', 'in_review', 'upheld', 'changed', 'verified', 'withdrawn')),
  requested_on  TEXT NOT NULL,
  requested_by  TEXT NOT NULL,
  deadline      TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  outcome       TEXT CHECK (outcome IN ('upheld', 'changed')),
  old_score     REAL,
  new_score     REAL,
  change_id     TEXT,
  decided_by    TEXT,
  verified_by   TEXT,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX result_reviews_candidate ON result_reviews(batch_id, candidate_id);
-- At most one open review per candidate and subject.
CREATE UNIQUE INDEX result_reviews_one_open ON result_reviews(candidate_id, subject_id) WHERE state NOT IN ('verified', 'withdrawn');
CREATE TRIGGER result_reviews_no_delete BEFORE DELETE ON result_reviews BEGIN SELECT RAISE(ABORT, 'result_reviews rows are kept'); END;

-- Every step of every review, append-only: the history a review's row only summarises.
CREATE TABLE result_review_steps (
  review_id  TEXT NOT NULL REFERENCES result_reviews(id),
  seq        INTEGER NOT NULL,
  action     TEXT NOT NULL,
  state      TEXT NOT NULL,
  actor      TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  score      REAL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (review_id, seq)
);
CREATE TRIGGER result_review_steps_no_update BEFORE UPDATE ON result_review_steps BEGIN SELECT RAISE(ABORT, 'result_review_steps is append-only'); END;
CREATE TRIGGER result_review_steps_no_delete BEFORE DELETE ON result_review_steps BEGIN SELECT RAISE(ABORT, 'result_review_steps is append-only'); END;
