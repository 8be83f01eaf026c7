import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'vitest'
import { migrate } from '../server/db/_migrate.ts'
import { KioskDeviceStore } from '../server/db/kiosk-device-store.ts'
import { TicketKeyStore } from '../server/db/ticket-key-store.ts'
import type { Device, Enrolment } from '../server/domain/kiosk/index.ts'

function db() {
  const d = new Database(':memory:')
  d.run('PRAGMA foreign_keys = ON')
  migrate(d)
  d.run("INSERT INTO sites (id, name, address, created_at) VALUES ('s1', '考点', '地址', 0)")
  d.run("INSERT INTO users (id, username, display_name, password_hash, roles, created_at, updated_at) VALUES ('u1', 'admin', 'A', 'x', '[\"admin\"]', 0, 0)")
  return d
}
const enrolment: Enrolment = {
  id: 'e1',
  siteId: 's1',
  label: '101',
  codeHash: 'ab'.repeat(32),
  createdBy: 'u1',
  createdAt: 1,
  expiresAt: 2,
  usedAt: null,
  deviceId: null,
}
const device: Device = {
  id: 'd1',
  siteId: 's1',
  label: '101',
  publicKey: new Uint8Array(65).fill(4),
  state: 'active',
  enrolmentId: 'e1',
  enrolledAt: 1,
  lastSeenAt: null,
  revokedAt: null,
  revokedBy: null,
  revokeReason: null,
}

describe('the kiosk device store', () => {
  test('an enrolment is found by its code hash and used once; a device round-trips with its key bytes', () => {
    const d = db()
    const s = new KioskDeviceStore(d)
    s.insertEnrolment(enrolment)
    expect(s.enrolmentByHash(enrolment.codeHash)).toEqual(enrolment)
    expect(s.enrolmentByHash('cd'.repeat(32))).toBeNull()
    expect(s.useEnrolment('e1', 5, 'd1')).toBe(true)
    expect(s.useEnrolment('e1', 6, 'd2')).toBe(false)
    expect(s.enrolmentByHash(enrolment.codeHash)).toMatchObject({ usedAt: 5, deviceId: 'd1' })
    s.insertDevice(device)
    expect(s.device('d1')).toEqual(device)
    expect(s.devices()).toEqual([device])
    s.seen('d1', 9)
    expect(s.device('d1')!.lastSeenAt).toBe(9)
  })

  test('revocation happens once; in SQL a revoked device stays revoked and no device row is deleted', () => {
    const d = db()
    const s = new KioskDeviceStore(d)
    s.insertEnrolment(enrolment)
    s.insertDevice(device)
    expect(s.revoke({ ...device, state: 'revoked', revokedAt: 3, revokedBy: 'u1', revokeReason: '丢失' })).toBe(true)
    expect(s.revoke({ ...device, state: 'revoked', revokedAt: 4, revokedBy: 'u1', revokeReason: '再次' })).toBe(false)
    expect(s.device('d1')).toMatchObject({ state: 'revoked', revokedAt: 3, revokeReason: '丢失' })
    expect(() => d.run("UPDATE kiosk_devices SET state = 'active' WHERE id = 'd1'")).toThrow('a revoked device stays revoked')
    expect(() => d.run("DELETE FROM kiosk_devices WHERE id = 'd1'")).toThrow('kiosk_devices rows are kept')
  })

  test('a public key must be 65 bytes, and two devices cannot share one', () => {
    const d = db()
    const s = new KioskDeviceStore(d)
    s.insertEnrolment(enrolment)
    s.insertEnrolment({ ...enrolment, id: 'e2', codeHash: 'cd'.repeat(32) })
    expect(() => s.insertDevice({ ...device, publicKey: new Uint8Array(64) })).toThrow()
    s.insertDevice(device)
    expect(() => s.insertDevice({ ...device, id: 'd2', enrolmentId: 'e2' })).toThrow()
  })
})

describe('the ticket key store', () => {
  test('one active key at a time, in SQL; keys are kept, oldest first', () => {
    const d = db()
    const s = new TicketKeyStore(d)
    s.insert({ keyId: '0000000a', name: 't', publicKey: new Uint8Array(32).fill(1), createdAt: 1, retiredAt: null })
    expect(() => s.insert({ keyId: '0000000b', name: 't', publicKey: new Uint8Array(32).fill(2), createdAt: 2, retiredAt: null })).toThrow()
    expect(s.retire('0000000a', 3)).toBe(true)
    s.insert({ keyId: '0000000b', name: 't', publicKey: new Uint8Array(32).fill(2), createdAt: 3, retiredAt: null })
    expect(s.all().map((k) => [k.keyId, k.retiredAt])).toEqual([
      ['0000000a', 3],
      ['0000000b', null],
    ])
    expect(() => d.run("DELETE FROM ticket_keys WHERE key_id = '0000000a'")).toThrow('ticket_keys rows are kept')
  })
})
