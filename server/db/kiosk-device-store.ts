import type { Database, Statement } from 'bun:sqlite'
import type { Device, Enrolment } from '../domain/kiosk/index.ts'

/** SQL for door kiosks: enrolment codes (as hashes) and enrolled devices. No rules here. */

interface EnrolmentRow {
  id: string
  site_id: string
  label: string
  code_hash: string
  created_by: string
  created_at: number
  expires_at: number
  used_at: number | null
  device_id: string | null
}
interface DeviceRow {
  id: string
  site_id: string
  label: string
  public_key: Uint8Array
  state: 'active' | 'revoked'
  enrolment_id: string
  enrolled_at: number
  last_seen_at: number | null
  revoked_at: number | null
  revoked_by: string | null
  revoke_reason: string | null
}

const toEnrolment = (r: EnrolmentRow): Enrolment => ({
  id: r.id,
  siteId: r.site_id,
  label: r.label,
  codeHash: r.code_hash,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  deviceId: r.device_id,
})
const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  siteId: r.site_id,
  label: r.label,
  publicKey: new Uint8Array(r.public_key),
  state: r.state,
  enrolmentId: r.enrolment_id,
  enrolledAt: r.enrolled_at,
  lastSeenAt: r.last_seen_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revokeReason: r.revoke_reason,
})

const DEVICE_COLUMNS = 'id, site_id, label, public_key, state, enrolment_id, enrolled_at, last_seen_at, revoked_at, revoked_by, revoke_reason'

export class KioskDeviceStore {
  private readonly q: {
    enrolmentByHash: Statement<EnrolmentRow, [string]>
    insertEnrolment: Statement<unknown, [string, string, string, string, string, number, number]>
    useEnrolment: Statement<unknown, [number, string, string]>
    device: Statement<DeviceRow, [string]>
    devices: Statement<DeviceRow, []>
    insertDevice: Statement<unknown, [string, string, string, Uint8Array, string, number]>
    revoke: Statement<unknown, [number, string, string, string]>
    seen: Statement<unknown, [number, string]>
  }

  constructor(db: Database) {
    this.q = {
      enrolmentByHash: db.query('SELECT * FROM kiosk_enrolments WHERE code_hash = ?'),
      insertEnrolment: db.query(
        'INSERT INTO kiosk_enrolments (id, site_id, label, code_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      // Single use in SQL too: a second redemption of the same row changes nothing.
      useEnrolment: db.query('UPDATE kiosk_enrolments SET used_at = ?, device_id = ? WHERE id = ? AND used_at IS NULL'),
      device: db.query(`SELECT ${DEVICE_COLUMNS} FROM kiosk_devices WHERE id = ?`),
      devices: db.query(`SELECT ${DEVICE_COLUMNS} FROM kiosk_devices ORDER BY enrolled_at DESC, id`),
      insertDevice: db.query(
        "INSERT INTO kiosk_devices (id, site_id, label, public_key, state, enrolment_id, enrolled_at) VALUES (?, ?, ?, ?, 'active', ?, ?)",
      ),
      revoke: db.query("UPDATE kiosk_devices SET state = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND state = 'active'"),
      seen: db.query('UPDATE kiosk_devices SET last_seen_at = ? WHERE id = ?'),
    }
  }

  enrolmentByHash(codeHash: string): Enrolment | null {
    const r = this.q.enrolmentByHash.get(codeHash)
    return r ? toEnrolment(r) : null
  }

  insertEnrolment(e: Enrolment): void {
    this.q.insertEnrolment.run(e.id, e.siteId, e.label, e.codeHash, e.createdBy, e.createdAt, e.expiresAt)
  }

  /** Marks an enrolment used; false if it was used already (a race lost). */
  useEnrolment(id: string, usedAt: number, deviceId: string): boolean {
    return this.q.useEnrolment.run(usedAt, deviceId, id).changes === 1
  }

  device(id: string): Device | null {
    const r = this.q.device.get(id)
    return r ? toDevice(r) : null
  }

  devices(): Device[] {
    return this.q.devices.all().map(toDevice)
  }

  insertDevice(d: Device): void {
    this.q.insertDevice.run(d.id, d.siteId, d.label, d.publicKey, d.enrolmentId, d.enrolledAt)
  }

  /** Revokes an active device; false if it was not active. */
  revoke(d: Device): boolean {
    return this.q.revoke.run(d.revokedAt ?? 0, d.revokedBy ?? '', d.revokeReason ?? '', d.id).changes === 1
  }

  /** When a device last made a verified request (shown to administrators; not a custody event). */
  seen(id: string, at: number): void {
    this.q.seen.run(at, id)
  }
}
