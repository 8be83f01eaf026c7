// Door kiosks (docs/decisions/011-door-kiosk.md, "Devices (enrolment)"): an administrator opens a single-use
// enrolment for a site, a tablet redeems its code with the public half of a key it made itself, and an
// administrator or supervisor revokes it. Plain functions over data; the time and the ids are passed in.
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'

/** A slot's life: an open enrolment (pending) becomes a device (active) once redeemed; a device can be revoked. */
export type DeviceSlotState = 'pending' | 'active' | 'revoked'
export type KioskAction = 'open_enrolment' | 'enrol' | 'revoke'
/** Who may take an action: roles, or `code` for the holder of an unused, unexpired enrolment code (no login). */
export type KioskWho = readonly Role[] | 'code'

export const DEVICE_MOVES = [
  { from: null, action: 'open_enrolment', to: 'pending', who: ['admin'] },
  { from: 'pending', action: 'enrol', to: 'active', who: 'code' },
  { from: 'active', action: 'revoke', to: 'revoked', who: ['admin', 'supervisor'] },
] as const satisfies ReadonlyArray<{ from: DeviceSlotState | null; action: KioskAction; to: DeviceSlotState; who: KioskWho }>

/** How long an enrolment code may be redeemed. */
export const ENROLMENT_TTL_MS = 15 * 60_000
/** How far a device's clock may be from the server's on a signed request. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000
export const MAX_LABEL = 60
export const MAX_REASON = 500

export type KioskCode =
  | 'kiosk.not_allowed_for_role'
  | 'kiosk.move_not_allowed'
  | 'kiosk.site_not_found'
  | 'kiosk.label_invalid'
  | 'kiosk.reason_required'
  | 'kiosk.enrolment_invalid'
  | 'kiosk.public_key_invalid'
  | 'kiosk.device_not_found'
  | 'kiosk.device_unknown'
  | 'kiosk.device_revoked'
  | 'kiosk.signature_invalid'
  | 'kiosk.clock_skew'
  | 'kiosk.rate_limited'
export type KioskRefusal = { code: KioskCode; state?: DeviceSlotState | null; retryAfterMs?: number }
/** What a device-signed request may be refused with (the deviceAuth middleware's answers). */
export type KioskDeviceRefusal = { code: 'kiosk.device_unknown' | 'kiosk.device_revoked' | 'kiosk.signature_invalid' | 'kiosk.clock_skew' }

export interface Enrolment {
  id: string
  siteId: string
  label: string
  /** SHA-256 of the normalised code, hex; the code itself is never stored. */
  codeHash: string
  createdBy: string
  createdAt: number
  expiresAt: number
  usedAt: number | null
  deviceId: string | null
}

export interface Device {
  id: string
  siteId: string
  label: string
  /** The raw uncompressed P-256 point, 65 bytes. */
  publicKey: Uint8Array
  state: 'active' | 'revoked'
  enrolmentId: string
  enrolledAt: number
  lastSeenAt: number | null
  revokedAt: number | null
  revokedBy: string | null
  revokeReason: string | null
}

/** The state table's answer for one (state, action, roles): allowed, or the refusal code. */
export function decideMove(from: DeviceSlotState | null, action: KioskAction, who: readonly Role[] | 'code'): Result<DeviceSlotState, KioskRefusal> {
  const move = DEVICE_MOVES.find((m) => m.from === from && m.action === action)
  if (!move) return refuse({ code: 'kiosk.move_not_allowed', state: from })
  if (move.who === 'code') return who === 'code' ? ok(move.to) : refuse({ code: 'kiosk.not_allowed_for_role' })
  if (who === 'code' || !who.some((r) => (move.who as readonly Role[]).includes(r))) return refuse({ code: 'kiosk.not_allowed_for_role' })
  return ok(move.to)
}

export const cleanLabel = (label: string): string | null => {
  const t = label.normalize('NFC').trim()
  return t.length > 0 && t.length <= MAX_LABEL ? t : null
}

/** Opens an enrolment (admin): what is stored. The code's hash is made by the caller from a random code. */
export function openEnrolment(
  roles: readonly Role[],
  cmd: { id: string; siteId: string; label: string; codeHash: string; createdBy: string },
  siteExists: boolean,
  now: number,
): Result<Enrolment, KioskRefusal> {
  const moved = decideMove(null, 'open_enrolment', roles)
  if (!moved.ok) return moved
  if (!siteExists) return refuse({ code: 'kiosk.site_not_found' })
  const label = cleanLabel(cmd.label)
  if (!label) return refuse({ code: 'kiosk.label_invalid' })
  return ok({ ...cmd, label, createdAt: now, expiresAt: now + ENROLMENT_TTL_MS, usedAt: null, deviceId: null })
}

/** The state of an enrolment as the table sees it: an expired or used one is no longer pending. */
export const enrolmentState = (e: Enrolment, now: number): DeviceSlotState | 'expired' | 'used' =>
  e.usedAt !== null ? 'used' : now >= e.expiresAt ? 'expired' : 'pending'

/**
 * Redeems a code (no login: the code is the credential). A wrong, used or expired code all answer the same
 * `kiosk.enrolment_invalid`, so a guess learns nothing.
 */
export function enrol(
  e: Enrolment | null,
  cmd: { deviceId: string; publicKey: Uint8Array | null; label: string },
  now: number,
): Result<{ enrolment: Enrolment; device: Device }, KioskRefusal> {
  const state = e ? enrolmentState(e, now) : null
  if (!e || state !== 'pending') return refuse({ code: 'kiosk.enrolment_invalid' })
  const moved = decideMove('pending', 'enrol', 'code')
  if (!moved.ok) return moved
  if (!cmd.publicKey) return refuse({ code: 'kiosk.public_key_invalid' })
  const label = cmd.label.trim() === '' ? e.label : cleanLabel(cmd.label)
  if (!label) return refuse({ code: 'kiosk.label_invalid' })
  const device: Device = {
    id: cmd.deviceId,
    siteId: e.siteId,
    label,
    publicKey: cmd.publicKey,
    state: 'active',
    enrolmentId: e.id,
    enrolledAt: now,
    lastSeenAt: null,
    revokedAt: null,
    revokedBy: null,
    revokeReason: null,
  }
  return ok({ enrolment: { ...e, usedAt: now, deviceId: device.id }, device })
}

/** Revokes a device at once (admin or supervisor, with a reason). */
export function revokeDevice(d: Device | null, roles: readonly Role[], cmd: { by: string; reason: string }, now: number): Result<Device, KioskRefusal> {
  if (!d) return refuse({ code: 'kiosk.device_not_found' })
  const moved = decideMove(d.state, 'revoke', roles)
  if (!moved.ok) return moved
  const reason = cmd.reason.trim()
  if (reason.length === 0 || reason.length > MAX_REASON) return refuse({ code: 'kiosk.reason_required' })
  return ok({ ...d, state: 'revoked', revokedAt: now, revokedBy: cmd.by, revokeReason: reason })
}

/**
 * The checks of a signed request other than the signature itself, in order: a device we know, still
 * active, whose clock is within MAX_CLOCK_SKEW_MS of ours.
 */
export function checkDevice(d: Device | null, time: number, now: number): Result<Device, KioskDeviceRefusal> {
  if (!d) return refuse({ code: 'kiosk.device_unknown' })
  if (d.state !== 'active') return refuse({ code: 'kiosk.device_revoked' })
  if (!Number.isSafeInteger(time) || Math.abs(time - now) > MAX_CLOCK_SKEW_MS) return refuse({ code: 'kiosk.clock_skew' })
  return ok(d)
}
