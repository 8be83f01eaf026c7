-- 0006: two-person role changes and the security record of failed logins (decision 005).

-- A role change for custodian or supervisor: proposed by an administrator, confirmed or rejected by a
-- second person. Each step is also a custody-log event; this table is what is pending now.
CREATE TABLE role_changes (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id),
  from_roles  TEXT NOT NULL,                 -- JSON array: the roles when proposed
  to_roles    TEXT NOT NULL,                 -- JSON array: the roles asked for
  proposed_by TEXT NOT NULL REFERENCES users(id),
  proposed_at INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected')),
  decided_by  TEXT REFERENCES users(id),
  decided_at  INTEGER
);
CREATE UNIQUE INDEX role_changes_one_pending ON role_changes(user_id) WHERE state = 'pending';

-- Failed and refused logins and witness checks: not custody events (anyone can cause them, so they must
-- not flood the log), kept for supervisors and administrators to read; the oldest are pruned past a cap.
CREATE TABLE security_events (
  id       INTEGER PRIMARY KEY,
  time     INTEGER NOT NULL,
  kind     TEXT NOT NULL,                    -- login | witness | password_change
  username TEXT NOT NULL,                    -- the name tried (may not exist)
  address  TEXT NOT NULL,
  outcome  TEXT NOT NULL                     -- invalid_credentials | rate_limited | busy | disabled
);
CREATE INDEX security_events_time ON security_events(time);
