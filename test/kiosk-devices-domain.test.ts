import { describe, expect, test } from 'vitest'
import { ROLES, type Role } from '../server/domain/accounts/index.ts'
import {
  DEVICE_MOVES,
  ENROLMENT_TTL_MS,
  MAX_CLOCK_SKEW_MS,
  type Device,
  type DeviceSlotState,
  type Enrolment,
  type KioskAction,
  checkDevice,
  decideMove,
  enrol,
  openEnrolment,
  revokeDevice,
} from '../server/domain/kiosk/index.ts'

const NOW = Date.parse('2026-12-05T00:00:00Z')
const KEY = new Uint8Array(65).fill(4)
const STATES: Array<DeviceSlotState | null> = [null, 'pending', 'active', 'revoked']
const ACTIONS: KioskAction[] = ['open_enrolment', 'enrol', 'revoke']

const enrolment = (over: Partial<Enrolment> = {}): Enrolment => ({
  id: 'e1',
  siteId: 's1',
  label: '101 门口',
  codeHash: 'ab',
  createdBy: 'u-admin',
  createdAt: NOW,
  expiresAt: NOW + ENROLMENT_TTL_MS,
  usedAt: null,
  deviceId: null,
  ...over,
})
const device = (over: Partial<Device> = {}): Device => ({
  id: 'd1',
  siteId: 's1',
  label: '101 门口',
  publicKey: KEY,
  state: 'active',
  enrolmentId: 'e1',
  enrolledAt: NOW,
  lastSeenAt: null,
  revokedAt: null,
  revokedBy: null,
  revokeReason: null,
  ...over,
})

describe('the device state table', () => {
  for (const move of DEVICE_MOVES) {
    if (move.who === 'code') {
      test(`${move.from} --${move.action}--> ${move.to} is the code holder's, and no role's`, () => {
        expect(decideMove(move.from, move.action, 'code')).toEqual({ ok: true, value: move.to })
        for (const r of ROLES) expect(decideMove(move.from, move.action, [r])).toEqual({ ok: false, error: { code: 'kiosk.not_allowed_for_role' } })
      })
    } else {
      const who = move.who as readonly Role[]
      test(`${move.from} --${move.action}--> ${move.to} is allowed for ${who.join(', ')} and refused for every other role`, () => {
        for (const r of ROLES) {
          const d = decideMove(move.from, move.action, [r])
          if (who.includes(r)) expect(d).toEqual({ ok: true, value: move.to })
          else expect(d).toEqual({ ok: false, error: { code: 'kiosk.not_allowed_for_role' } })
        }
        expect(decideMove(move.from, move.action, 'code').ok).toBe(false)
      })
    }
  }

  test('every unlisted (state, action) pair is refused (kiosk.move_not_allowed)', () => {
    let unlisted = 0
    for (const from of STATES)
      for (const action of ACTIONS) {
        if (DEVICE_MOVES.some((m) => m.from === from && m.action === action)) continue
        unlisted++
        for (const who of [[...ROLES], 'code'] as const)
          expect(decideMove(from, action, who)).toEqual({ ok: false, error: { code: 'kiosk.move_not_allowed', state: from } })
      }
    expect(unlisted).toBe(STATES.length * ACTIONS.length - DEVICE_MOVES.length)
  })
})

describe('enrolment', () => {
  test('an administrator opens an enrolment valid 15 minutes, with the label trimmed', () => {
    const r = openEnrolment(['admin'], { id: 'e1', siteId: 's1', label: '  101 门口 ', codeHash: 'ab', createdBy: 'u' }, true, NOW)
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ label: '101 门口', expiresAt: NOW + 15 * 60_000, usedAt: null }) })
  })

  test('an unknown site, or an empty or over-long label, is refused', () => {
    const cmd = { id: 'e1', siteId: 's1', label: 'x', codeHash: 'ab', createdBy: 'u' }
    expect(openEnrolment(['admin'], cmd, false, NOW)).toEqual({ ok: false, error: { code: 'kiosk.site_not_found' } })
    expect(openEnrolment(['admin'], { ...cmd, label: '   ' }, true, NOW)).toEqual({ ok: false, error: { code: 'kiosk.label_invalid' } })
    expect(openEnrolment(['admin'], { ...cmd, label: 'x'.repeat(61) }, true, NOW)).toEqual({ ok: false, error: { code: 'kiosk.label_invalid' } })
    expect(openEnrolment(['supervisor'], cmd, true, NOW)).toEqual({ ok: false, error: { code: 'kiosk.not_allowed_for_role' } })
  })

  test('a pending code makes an active device of its site and is used up', () => {
    const r = enrol(enrolment(), { deviceId: 'd1', publicKey: KEY, label: '' }, NOW + 1000)
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.device).toMatchObject({ id: 'd1', siteId: 's1', label: '101 门口', state: 'active', enrolledAt: NOW + 1000 })
    expect(r.value.enrolment).toMatchObject({ usedAt: NOW + 1000, deviceId: 'd1' })
  })

  test('a missing, used or expired code all answer the same kiosk.enrolment_invalid', () => {
    const invalid = { ok: false, error: { code: 'kiosk.enrolment_invalid' } }
    const cmd = { deviceId: 'd1', publicKey: KEY, label: '' }
    expect(enrol(null, cmd, NOW)).toEqual(invalid)
    expect(enrol(enrolment({ usedAt: NOW }), cmd, NOW)).toEqual(invalid)
    expect(enrol(enrolment(), cmd, NOW + ENROLMENT_TTL_MS)).toEqual(invalid)
    expect(enrol(enrolment(), cmd, NOW + ENROLMENT_TTL_MS - 1).ok).toBe(true)
  })

  test('a valid code with a bad public key is refused without using the code up', () => {
    expect(enrol(enrolment(), { deviceId: 'd1', publicKey: null, label: '' }, NOW)).toEqual({ ok: false, error: { code: 'kiosk.public_key_invalid' } })
  })
})

describe('revocation', () => {
  test('an administrator or a supervisor revokes an active device with a reason', () => {
    for (const r of ['admin', 'supervisor'] as const) {
      const d = revokeDevice(device(), [r], { by: 'u', reason: ' 平板丢失 ' }, NOW)
      expect(d).toEqual({ ok: true, value: expect.objectContaining({ state: 'revoked', revokedAt: NOW, revokedBy: 'u', revokeReason: '平板丢失' }) })
    }
  })

  test('no reason, an unknown device, a revoked device, or another role is refused', () => {
    expect(revokeDevice(device(), ['admin'], { by: 'u', reason: '  ' }, NOW)).toEqual({ ok: false, error: { code: 'kiosk.reason_required' } })
    expect(revokeDevice(null, ['admin'], { by: 'u', reason: 'x' }, NOW)).toEqual({ ok: false, error: { code: 'kiosk.device_not_found' } })
    expect(revokeDevice(device({ state: 'revoked' }), ['admin'], { by: 'u', reason: 'x' }, NOW)).toEqual({
      ok: false,
      error: { code: 'kiosk.move_not_allowed', state: 'revoked' },
    })
    expect(revokeDevice(device(), ['registrar', 'invigilator'], { by: 'u', reason: 'x' }, NOW)).toEqual({
      ok: false,
      error: { code: 'kiosk.not_allowed_for_role' },
    })
  })
})

describe('a signed request: device, state, clock (in this order)', () => {
  test('unknown, then revoked, then a clock more than 5 minutes off', () => {
    expect(checkDevice(null, NOW, NOW)).toEqual({ ok: false, error: { code: 'kiosk.device_unknown' } })
    expect(checkDevice(device({ state: 'revoked' }), NOW + 10 * MAX_CLOCK_SKEW_MS, NOW)).toEqual({ ok: false, error: { code: 'kiosk.device_revoked' } })
    expect(checkDevice(device(), NOW + MAX_CLOCK_SKEW_MS + 1, NOW)).toEqual({ ok: false, error: { code: 'kiosk.clock_skew' } })
    expect(checkDevice(device(), NOW - MAX_CLOCK_SKEW_MS - 1, NOW)).toEqual({ ok: false, error: { code: 'kiosk.clock_skew' } })
    expect(checkDevice(device(), Number.NaN, NOW)).toEqual({ ok: false, error: { code: 'kiosk.clock_skew' } })
    expect(checkDevice(device(), NOW + MAX_CLOCK_SKEW_MS, NOW).ok).toBe(true)
    expect(checkDevice(device(), NOW - MAX_CLOCK_SKEW_MS, NOW).ok).toBe(true)
  })
})
