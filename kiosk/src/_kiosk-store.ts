// What the door kiosk keeps on the tablet (docs/decisions/011-door-kiosk.md), in IndexedDB through `idb`: the
// device (its non-extractable ECDSA key pair: a CryptoKey is structured-cloneable and never leaves the browser),
// room packages, the records queue, the admissions made here, and the offline verifiers of people who confirmed
// on this device. A record and its admission are written in ONE transaction, and the caller hears "recorded"
// only after that transaction completed: a reload, a closed tab or a power cut loses nothing said recorded.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { KioskRecord, RecordKind, RoomPackage } from './_kiosk-types.ts'

export const KIOSK_DB = 'custody-kiosk'
const VERSION = 1

export interface DeviceRow {
  deviceId: string
  siteId: string
  siteName: string
  label: string
  keyPair: CryptoKeyPair
  enrolledAt: number
}

export interface PackageRow {
  /** `${sessionId}/${roomId}` */
  key: string
  pkg: RoomPackage
  savedAt: number
  /** Who downloaded it (the person the package was made for). */
  userId: string
}

export type RecordStatus = 'queued' | 'stored' | 'refused'

export interface RecordRow {
  id: string
  record: KioskRecord
  status: RecordStatus
  /** Order made on this device (madeAt may repeat within a millisecond). */
  seq: number
  flags: string[]
  code?: string
  message?: string
  messageEn?: string
  tries: number
  nextTryAt: number
  syncedAt?: number
}

export interface AdmissionRow {
  /** `${sessionId}/${ticketNumber}` */
  key: string
  sessionId: string
  roomId: string
  ticketNumber: string
  candidateId: string
  at: number
  door: string
  recordId: string
}

export interface VerifierRow {
  userId: string
  username: string
  displayName: string
  /** scrypt(password, salt = deviceId ‖ userId), hex; never the password. */
  hash: string
  params: { N: number; r: number; p: number }
  at: number
}

interface KioskSchema extends DBSchema {
  device: { key: string; value: DeviceRow }
  packages: { key: string; value: PackageRow }
  records: { key: string; value: RecordRow; indexes: { status: RecordStatus; seq: number } }
  admissions: { key: string; value: AdmissionRow; indexes: { sessionId: string } }
  verifiers: { key: string; value: VerifierRow; indexes: { username: string } }
  meta: { key: string; value: unknown }
}

export type KioskDb = IDBPDatabase<KioskSchema>

/** Opens (creating on first use) the kiosk's database. */
export function openKioskDb(name = KIOSK_DB): Promise<KioskDb> {
  return openDB<KioskSchema>(name, VERSION, {
    upgrade(db) {
      db.createObjectStore('device')
      db.createObjectStore('packages', { keyPath: 'key' })
      const records = db.createObjectStore('records', { keyPath: 'id' })
      records.createIndex('status', 'status')
      records.createIndex('seq', 'seq')
      db.createObjectStore('admissions', { keyPath: 'key' }).createIndex('sessionId', 'sessionId')
      db.createObjectStore('verifiers', { keyPath: 'userId' }).createIndex('username', 'username')
      db.createObjectStore('meta')
    },
  })
}

/** The kiosk's storage, one object per open database. */
export class KioskStore {
  constructor(readonly db: KioskDb) {}

  static async open(name = KIOSK_DB): Promise<KioskStore> {
    return new KioskStore(await openKioskDb(name))
  }

  // ---------- device ----------

  getDevice(): Promise<DeviceRow | undefined> {
    return this.db.get('device', 'this')
  }
  async putDevice(row: DeviceRow): Promise<void> {
    await this.db.put('device', row, 'this')
  }
  /** Forgets the enrolment (a revoked device enrols anew); queued records stay. */
  async forgetDevice(): Promise<void> {
    await this.db.delete('device', 'this')
  }

  // ---------- packages ----------

  async savePackage(pkg: RoomPackage, userId: string, now: number): Promise<void> {
    await this.db.put('packages', { key: `${pkg.session.id}/${pkg.room.id}`, pkg, savedAt: now, userId })
  }
  getPackage(sessionId: string, roomId: string): Promise<PackageRow | undefined> {
    return this.db.get('packages', `${sessionId}/${roomId}`)
  }
  async packages(): Promise<PackageRow[]> {
    return (await this.db.getAll('packages')).sort((a, b) => b.savedAt - a.savedAt)
  }

  // ---------- records ----------

  /**
   * Puts a signed record in the queue (and, for an admission, the admission row) in one transaction; resolves
   * once the transaction completed. The same id twice is an error (a UUID never repeats).
   */
  async addRecord(record: KioskRecord, admission?: Omit<AdmissionRow, 'key' | 'recordId'>): Promise<RecordRow> {
    const tx = this.db.transaction(['records', 'admissions', 'meta'], 'readwrite')
    const done = tx.done
    try {
      const seq = ((await tx.objectStore('meta').get('seq')) as number | undefined) ?? 0
      const row: RecordRow = { id: record.id, record, status: 'queued', seq: seq + 1, flags: [], tries: 0, nextTryAt: 0 }
      await Promise.all([
        tx.objectStore('meta').put(seq + 1, 'seq'),
        tx.objectStore('records').add(row),
        admission ? tx.objectStore('admissions').put({ ...admission, key: `${admission.sessionId}/${admission.ticketNumber}`, recordId: record.id }) : null,
      ])
      await done
      return row
    } catch (err) {
      await done.catch(() => {}) // the transaction aborted as a whole: nothing of it was written
      throw err
    }
  }

  /** Records waiting to be sent whose retry time has come, oldest first, at most `limit`. */
  async due(now: number, limit: number): Promise<RecordRow[]> {
    const rows = await this.db.getAllFromIndex('records', 'status', 'queued')
    return rows
      .filter((r) => r.nextTryAt <= now)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit)
  }

  /** How many records wait to be sent. */
  countQueued(): Promise<number> {
    return this.db.countFromIndex('records', 'status', 'queued')
  }

  /** Records the server refused (shown on the status bar, never dropped). */
  refused(): Promise<RecordRow[]> {
    return this.db.getAllFromIndex('records', 'status', 'refused')
  }

  /** Every record of this kind (optionally of one session), in the order made. */
  async recordsOf(kind: RecordKind, sessionId?: string): Promise<RecordRow[]> {
    const rows = await this.db.getAllFromIndex('records', 'seq')
    return rows.filter((r) => r.record.kind === kind && (!sessionId || r.record.sessionId === sessionId))
  }

  getRecord(id: string): Promise<RecordRow | undefined> {
    return this.db.get('records', id)
  }

  /** The server's answer for each record sent: stored / duplicate → stored, refused → refused (kept, shown). */
  async markResults(
    results: ReadonlyArray<{ id: string; status: 'stored' | 'duplicate' | 'refused'; flags: string[]; code?: string; message?: string; messageEn?: string }>,
    now: number,
  ): Promise<void> {
    const tx = this.db.transaction('records', 'readwrite')
    for (const r of results) {
      const row = await tx.store.get(r.id)
      if (!row) continue
      row.status = r.status === 'refused' ? 'refused' : 'stored'
      row.flags = r.flags
      row.syncedAt = now
      if (r.code) row.code = r.code
      if (r.message) row.message = r.message
      if (r.messageEn) row.messageEn = r.messageEn
      await tx.store.put(row)
    }
    await tx.done
  }

  /** A failed send: the records stay queued and wait `delayMs` before the next try. */
  async markRetry(ids: readonly string[], now: number, delayMs: number): Promise<void> {
    const tx = this.db.transaction('records', 'readwrite')
    for (const id of ids) {
      const row = await tx.store.get(id)
      if (!row || row.status !== 'queued') continue
      row.tries++
      row.nextTryAt = now + delayMs
      await tx.store.put(row)
    }
    await tx.done
  }

  // ---------- admissions ----------

  admissions(sessionId: string): Promise<AdmissionRow[]> {
    return this.db.getAllFromIndex('admissions', 'sessionId', sessionId)
  }

  // ---------- verifiers ----------

  async putVerifier(v: VerifierRow): Promise<void> {
    await this.db.put('verifiers', v)
  }
  getVerifierByUsername(username: string): Promise<VerifierRow | undefined> {
    return this.db.getFromIndex('verifiers', 'username', username)
  }

  // ---------- small settings ----------

  async getMeta<V>(key: string): Promise<V | undefined> {
    return (await this.db.get('meta', key)) as V | undefined
  }
  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put('meta', value, key)
  }
}
