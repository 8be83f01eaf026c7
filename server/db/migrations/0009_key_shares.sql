-- The split paper key (docs/decisions/008-split-master-key.md). Data keys are sealed to an X25519 public key
-- (HPKE); its private key exists only as k-of-n Shamir shares, each sealed to its holder's passphrase key.
-- Nothing here opens anything without k holders' passphrases.

-- The paper public key. One is current (retired_at IS NULL); a re-deal keeps it and replaces the shares.
CREATE TABLE paper_public_keys (
  id          TEXT PRIMARY KEY,              -- 'pk-' || first 16 hex of SHA-256(public_key)
  public_key  BLOB NOT NULL,                 -- 32 bytes, X25519
  threshold   INTEGER NOT NULL,              -- k: shares needed to rebuild the private key
  created_at  INTEGER NOT NULL,
  retired_at  INTEGER
);

-- One share per holder of the current key: the share (33 bytes) sealed to the holder's passphrase key,
-- which is an X25519 key pair derived from scrypt(passphrase, salt). No administrator can set or reset it.
CREATE TABLE key_shares (
  key_id          TEXT NOT NULL REFERENCES paper_public_keys(id),
  user_id         TEXT NOT NULL REFERENCES users(id),
  ceremony_id     TEXT NOT NULL,
  salt            BLOB NOT NULL,             -- 16 bytes
  kdf             TEXT NOT NULL,             -- JSON {N,r,p} of scrypt
  holder_key      BLOB NOT NULL,             -- the passphrase public key: checks a passphrase without opening
  sealed_share    BLOB NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (key_id, user_id)
);

-- Key ceremonies: an administrator names the holders and k; each named holder registers a passphrase key
-- with their own login; a re-deal also needs k current holders to unlock their shares.
CREATE TABLE key_ceremonies (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('initial', 'redeal')),
  state         TEXT NOT NULL CHECK (state IN ('open', 'completed', 'cancelled')),
  threshold     INTEGER NOT NULL,
  holders       TEXT NOT NULL,             -- JSON array of user ids, in dealing order
  key_id        TEXT,                      -- the key re-dealt, or made at completion
  started_by    TEXT NOT NULL REFERENCES users(id),
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER
);
CREATE UNIQUE INDEX key_ceremonies_one_open ON key_ceremonies(state) WHERE state = 'open';

CREATE TABLE key_ceremony_holders (
  ceremony_id   TEXT NOT NULL REFERENCES key_ceremonies(id),
  user_id       TEXT NOT NULL REFERENCES users(id),
  salt          BLOB NOT NULL,
  kdf           TEXT NOT NULL,
  holder_key    BLOB NOT NULL,
  registered_at INTEGER NOT NULL,
  PRIMARY KEY (ceremony_id, user_id)
);
