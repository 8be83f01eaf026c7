import type { Database } from 'bun:sqlite'
import type { BodyNumberConfig } from '../domain/certificates/index.ts'
import type { Level } from '../domain/registration/index.ts'

/** A member of the certificate key ring (public half; the private half is a file in the data folder). */
export interface CertificateKeyRecord {
  keyId: string
  name: string
  publicKey: Uint8Array
  createdAt: number
  retiredAt: number | null
}

/** An issued certificate as stored. */
export interface StoredCertificate {
  number: string
  bodyPrefix: string
  year: number
  level: Level
  seq: number
  candidateId: string
  batchId: string
  keyId: string
  /** The signed CC1 text, exactly as issued. */
  text: string
  status: 'valid' | 'revoked'
  issuedOn: string
  issuedAt: number
  issuedBy: string
  revokedAt: number | null
  revokedReason: string | null
  replaces: string | null
  replacedBy: string | null
}

export interface StoredReissue {
  id: string
  number: string
  state: 'pending' | 'approved' | 'rejected'
  reason: string
  requestedBy: string
  requestedAt: number
  decidedBy: string | null
  decidedAt: number | null
  decisionNote: string | null
  newNumber: string | null
}

interface CertRow {
  number: string
  body_prefix: string
  year: number
  level: number
  seq: number
  candidate_id: string
  batch_id: string
  key_id: string
  text: string
  status: 'valid' | 'revoked'
  issued_on: string
  issued_at: number
  issued_by: string
  revoked_at: number | null
  revoked_reason: string | null
  replaces: string | null
  replaced_by: string | null
}
const toCert = (r: CertRow): StoredCertificate => ({
  number: r.number,
  bodyPrefix: r.body_prefix,
  year: r.year,
  level: r.level as Level,
  seq: r.seq,
  candidateId: r.candidate_id,
  batchId: r.batch_id,
  keyId: r.key_id,
  text: r.text,
  status: r.status,
  issuedOn: r.issued_on,
  issuedAt: r.issued_at,
  issuedBy: r.issued_by,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
  replaces: r.replaces,
  replacedBy: r.replaced_by,
})

interface ReissueRow {
  id: string
  number: string
  state: StoredReissue['state']
  reason: string
  requested_by: string
  requested_at: number
  decided_by: string | null
  decided_at: number | null
  decision_note: string | null
  new_number: string | null
}
const toReissue = (r: ReissueRow): StoredReissue => ({
  id: r.id,
  number: r.number,
  state: r.state,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  newNumber: r.new_number,
})

interface KeyRow {
  key_id: string
  name: string
  public_key: Uint8Array
  created_at: number
  retired_at: number | null
}

/** SQL for certificates (R8.1–R8.3): the key ring, the body's number, approvals, certificates, reissues. No rules here. */
export class CertificateStore {
  private readonly q
  constructor(db: Database) {
    this.q = {
      keys: db.query<KeyRow, []>('SELECT * FROM certificate_keys ORDER BY created_at, rowid'),
      insertKey: db.query('INSERT INTO certificate_keys (key_id, name, public_key, created_at) VALUES (?, ?, ?, ?)'),
      retireKey: db.query('UPDATE certificate_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL'),
      liveByKey: db.query<{ key_id: string; n: number }, []>("SELECT key_id, count(*) AS n FROM certificates WHERE status = 'valid' GROUP BY key_id"),
      body: db.query<{ category: 'Y' | 'S'; ministry_code: string; province_code: string; sequence_code: string; updated_by: string; updated_at: number }, []>(
        'SELECT * FROM certificate_body WHERE id = 1',
      ),
      setBody: db.query(
        `INSERT INTO certificate_body (id, category, ministry_code, province_code, sequence_code, updated_by, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET category = excluded.category, ministry_code = excluded.ministry_code, province_code = excluded.province_code,
           sequence_code = excluded.sequence_code, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ),
      approval: db.query<{ ref: string; recorded_by: string; recorded_at: number }, [string]>('SELECT * FROM certificate_approvals WHERE batch_id = ?'),
      setApproval: db.query(
        `INSERT INTO certificate_approvals (batch_id, ref, recorded_by, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (batch_id) DO UPDATE SET ref = excluded.ref, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      ),
      cert: db.query<CertRow, [string]>('SELECT * FROM certificates WHERE number = ?'),
      ofBatch: db.query<CertRow, [string]>('SELECT * FROM certificates WHERE batch_id = ? ORDER BY issued_at, number'),
      maxSeq: db.query<{ m: number | null }, [string, number, number]>(
        'SELECT max(seq) AS m FROM certificates WHERE body_prefix = ? AND year = ? AND level = ?',
      ),
      insertCert: db.query(
        `INSERT INTO certificates (number, body_prefix, year, level, seq, candidate_id, batch_id, key_id, text, status, issued_on, issued_at, issued_by, replaces)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ?)`,
      ),
      revoke: db.query("UPDATE certificates SET status = 'revoked', revoked_at = ?, revoked_reason = ?, replaced_by = ? WHERE number = ? AND status = 'valid'"),
      reissue: db.query<ReissueRow, [string]>('SELECT * FROM certificate_reissues WHERE id = ?'),
      reissues: db.query<ReissueRow, []>("SELECT * FROM certificate_reissues ORDER BY state = 'pending' DESC, requested_at DESC LIMIT 200"),
      insertReissue: db.query(
        "INSERT INTO certificate_reissues (id, number, state, id_checked, reason, requested_by, requested_at) VALUES (?, ?, 'pending', 1, ?, ?, ?)",
      ),
      decideReissue: db.query(
        "UPDATE certificate_reissues SET state = ?, decided_by = ?, decided_at = ?, decision_note = ?, new_number = ? WHERE id = ? AND state = 'pending'",
      ),
    } as const
  }

  // ---------- the key ring ----------
  keys(): CertificateKeyRecord[] {
    return this.q.keys
      .all()
      .map((r) => ({ keyId: r.key_id, name: r.name, publicKey: new Uint8Array(r.public_key), createdAt: r.created_at, retiredAt: r.retired_at }))
  }
  insertKey(k: CertificateKeyRecord): void {
    this.q.insertKey.run(k.keyId, k.name, k.publicKey, k.createdAt)
  }
  retireKey(keyId: string, at: number): boolean {
    return this.q.retireKey.run(at, keyId).changes === 1
  }
  /** Live (valid) certificates per signing key. */
  liveCountsByKey(): Map<string, number> {
    return new Map(this.q.liveByKey.all().map((r) => [r.key_id, r.n]))
  }

  // ---------- the body's number (positions 1–13) ----------
  body(): (BodyNumberConfig & { updatedBy: string; updatedAt: number }) | null {
    const r = this.q.body.get()
    return r
      ? {
          category: r.category,
          ministryCode: r.ministry_code,
          provinceCode: r.province_code,
          sequenceCode: r.sequence_code,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at,
        }
      : null
  }
  setBody(c: BodyNumberConfig, by: string, at: number): void {
    this.q.setBody.run(c.category, c.ministryCode, c.provinceCode, c.sequenceCode, by, at)
  }

  // ---------- approvals ----------
  approval(batchId: string): { ref: string; recordedBy: string; recordedAt: number } | null {
    const r = this.q.approval.get(batchId)
    return r ? { ref: r.ref, recordedBy: r.recorded_by, recordedAt: r.recorded_at } : null
  }
  setApproval(batchId: string, ref: string, by: string, at: number): void {
    this.q.setApproval.run(batchId, ref, by, at)
  }

  // ---------- certificates ----------
  certificate(number: string): StoredCertificate | null {
    const r = this.q.cert.get(number)
    return r ? toCert(r) : null
  }
  ofBatch(batchId: string): StoredCertificate[] {
    return this.q.ofBatch.all(batchId).map(toCert)
  }
  /** The next sequence within body, year and level (R8.2 positions 17–22); read inside the issuing transaction. */
  nextSeq(bodyPrefix: string, year: number, level: number): number {
    return (this.q.maxSeq.get(bodyPrefix, year, level)?.m ?? 0) + 1
  }
  insert(c: Omit<StoredCertificate, 'status' | 'revokedAt' | 'revokedReason' | 'replacedBy'>): void {
    this.q.insertCert.run(
      c.number,
      c.bodyPrefix,
      c.year,
      c.level,
      c.seq,
      c.candidateId,
      c.batchId,
      c.keyId,
      c.text,
      c.issuedOn,
      c.issuedAt,
      c.issuedBy,
      c.replaces,
    )
  }
  revoke(number: string, at: number, reason: string, replacedBy: string | null): boolean {
    return this.q.revoke.run(at, reason, replacedBy, number).changes === 1
  }

  // ---------- reissue requests ----------
  reissue(id: string): StoredReissue | null {
    const r = this.q.reissue.get(id)
    return r ? toReissue(r) : null
  }
  /** Pending first, then the latest decided (at most 200). */
  reissues(): StoredReissue[] {
    return this.q.reissues.all().map(toReissue)
  }
  insertReissue(r: Pick<StoredReissue, 'id' | 'number' | 'reason' | 'requestedBy' | 'requestedAt'>): void {
    this.q.insertReissue.run(r.id, r.number, r.reason, r.requestedBy, r.requestedAt)
  }
  decideReissue(id: string, state: 'approved' | 'rejected', by: string, at: number, note: string | null, newNumber: string | null): boolean {
    return this.q.decideReissue.run(state, by, at, note, newNumber, id).changes === 1
  }
}
