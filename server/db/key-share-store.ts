import type { Database, Statement } from 'bun:sqlite'
import type { Ceremony, CeremonyRegistration, HeldShare, PaperKeyRecord } from '../domain/keys/index.ts'

interface KeyRow {
  id: string
  public_key: Uint8Array
  threshold: number
  created_at: number
  retired_at: number | null
}
interface ShareRow {
  key_id: string
  user_id: string
  ceremony_id: string
  salt: Uint8Array
  kdf: string
  holder_key: Uint8Array
  sealed_share: Uint8Array
  created_at: number
}
interface CeremonyRow {
  id: string
  kind: Ceremony['kind']
  state: Ceremony['state']
  threshold: number
  holders: string
  key_id: string | null
  started_by: string
  started_at: number
  ended_at: number | null
}
interface RegRow {
  ceremony_id: string
  user_id: string
  salt: Uint8Array
  kdf: string
  holder_key: Uint8Array
  registered_at: number
}

const bytes = (b: Uint8Array) => new Uint8Array(b)
const toKey = (r: KeyRow): PaperKeyRecord => ({ id: r.id, publicKey: bytes(r.public_key), threshold: r.threshold, createdAt: r.created_at })
const toShare = (r: ShareRow): HeldShare => ({
  keyId: r.key_id,
  userId: r.user_id,
  ceremonyId: r.ceremony_id,
  salt: bytes(r.salt),
  kdf: JSON.parse(r.kdf),
  holderKey: bytes(r.holder_key),
  sealedShare: bytes(r.sealed_share),
  createdAt: r.created_at,
})
const toCeremony = (r: CeremonyRow): Ceremony => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  threshold: r.threshold,
  holders: JSON.parse(r.holders),
  keyId: r.key_id,
  startedBy: r.started_by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
})
const toReg = (r: RegRow): CeremonyRegistration => ({
  ceremonyId: r.ceremony_id,
  userId: r.user_id,
  salt: bytes(r.salt),
  kdf: JSON.parse(r.kdf),
  holderKey: bytes(r.holder_key),
  registeredAt: r.registered_at,
})

/** SQL of the split paper key (0009): the public key, the sealed shares, the ceremonies that dealt them. */
export class KeyShareStore {
  private readonly q: {
    currentKey: Statement<KeyRow, []>
    insertKey: Statement<unknown, [string, Uint8Array, number, number]>
    setThreshold: Statement<unknown, [number, string]>
    shares: Statement<ShareRow, [string]>
    deleteShares: Statement<unknown, [string]>
    insertShare: Statement<unknown, [string, string, string, Uint8Array, string, Uint8Array, Uint8Array, number]>
    openCeremony: Statement<CeremonyRow, []>
    ceremony: Statement<CeremonyRow, [string]>
    insertCeremony: Statement<unknown, [string, string, string, number, string, string | null, string, number]>
    endCeremony: Statement<unknown, [string, string | null, number, string]>
    registrations: Statement<RegRow, [string]>
    insertRegistration: Statement<unknown, [string, string, Uint8Array, string, Uint8Array, number]>
  }

  constructor(db: Database) {
    this.q = {
      currentKey: db.query('SELECT * FROM paper_public_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1'),
      insertKey: db.query('INSERT INTO paper_public_keys (id, public_key, threshold, created_at) VALUES (?, ?, ?, ?)'),
      setThreshold: db.query('UPDATE paper_public_keys SET threshold = ? WHERE id = ?'),
      shares: db.query('SELECT * FROM key_shares WHERE key_id = ? ORDER BY created_at, user_id'),
      deleteShares: db.query('DELETE FROM key_shares WHERE key_id = ?'),
      insertShare: db.query(
        'INSERT INTO key_shares (key_id, user_id, ceremony_id, salt, kdf, holder_key, sealed_share, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      openCeremony: db.query("SELECT * FROM key_ceremonies WHERE state = 'open'"),
      ceremony: db.query('SELECT * FROM key_ceremonies WHERE id = ?'),
      insertCeremony: db.query(
        'INSERT INTO key_ceremonies (id, kind, state, threshold, holders, key_id, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      endCeremony: db.query('UPDATE key_ceremonies SET state = ?, key_id = ?, ended_at = ? WHERE id = ?'),
      registrations: db.query('SELECT * FROM key_ceremony_holders WHERE ceremony_id = ? ORDER BY registered_at, user_id'),
      insertRegistration: db.query('INSERT INTO key_ceremony_holders (ceremony_id, user_id, salt, kdf, holder_key, registered_at) VALUES (?, ?, ?, ?, ?, ?)'),
    }
  }

  currentKey(): PaperKeyRecord | null {
    const r = this.q.currentKey.get()
    return r ? toKey(r) : null
  }
  insertKey(k: PaperKeyRecord): void {
    this.q.insertKey.run(k.id, k.publicKey, k.threshold, k.createdAt)
  }
  setThreshold(keyId: string, threshold: number): void {
    this.q.setThreshold.run(threshold, keyId)
  }
  shares(keyId: string): HeldShare[] {
    return this.q.shares.all(keyId).map(toShare)
  }
  /** A re-deal replaces every share of the key at once (in the ceremony's transaction). */
  replaceShares(keyId: string, shares: readonly HeldShare[]): void {
    this.q.deleteShares.run(keyId)
    for (const s of shares) this.q.insertShare.run(s.keyId, s.userId, s.ceremonyId, s.salt, JSON.stringify(s.kdf), s.holderKey, s.sealedShare, s.createdAt)
  }

  openCeremony(): Ceremony | null {
    const r = this.q.openCeremony.get()
    return r ? toCeremony(r) : null
  }
  ceremony(id: string): Ceremony | null {
    const r = this.q.ceremony.get(id)
    return r ? toCeremony(r) : null
  }
  insertCeremony(c: Ceremony): void {
    this.q.insertCeremony.run(c.id, c.kind, c.state, c.threshold, JSON.stringify(c.holders), c.keyId, c.startedBy, c.startedAt)
  }
  endCeremony(id: string, state: 'completed' | 'cancelled', keyId: string | null, at: number): void {
    this.q.endCeremony.run(state, keyId, at, id)
  }
  registrations(ceremonyId: string): CeremonyRegistration[] {
    return this.q.registrations.all(ceremonyId).map(toReg)
  }
  insertRegistration(r: CeremonyRegistration): void {
    this.q.insertRegistration.run(r.ceremonyId, r.userId, r.salt, JSON.stringify(r.kdf), r.holderKey, r.registeredAt)
  }
}
