import type { Database } from 'bun:sqlite'
import { type KeyObject, createPublicKey, randomUUID, verify as nodeVerify } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'
import { canonicalJson, type Canonical } from '../../audit/index.ts'
import { fromBase64, sha256, toHex, utf8 } from '../../crypto/index.ts'
import { ADDRESS_POLICY, FailureThrottle } from '../auth/_rate-limit.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type Device,
  type Enrolment,
  type KioskDeviceRefusal,
  type KioskRefusal,
  checkDevice,
  enrol,
  openEnrolment,
  revokeDevice,
} from '../domain/kiosk/index.ts'
import type { KioskDeviceStore } from '../db/kiosk-device-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import { type Person, domainActor } from './_acting.ts'
import type { CustodyLog } from './custody-log.ts'

export type { Device, KioskDeviceRefusal, KioskRefusal } from '../domain/kiosk/index.ts'

/** The domain separation strings of what a device signs (decision 011). */
export const KIOSK_REQUEST_CONTEXT = 'custody/kiosk-request/v1\n'
export const KIOSK_RECORD_CONTEXT = 'custody/kiosk-record/v1\n'
/** The QR text of an enrolment code. */
export const ENROL_QR_PREFIX = 'custody-enrol:'

/** Crockford base32 (no I, L, O, U). */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A new code: 60 random bits as 12 Crockford base32 characters, `XXXX-XXXX-XXXX`. */
export function newEnrolmentCode(): string {
  const b = crypto.getRandomValues(new Uint8Array(12))
  const chars = Array.from(b, (x) => CROCKFORD[x & 31]!).join('')
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
}

/**
 * The code as typed, in its one form: separators dropped, upper case, and Crockford's look-alikes read as
 * what they stand for (I, L → 1; O → 0). Null if it cannot be a code.
 */
export function normaliseEnrolmentCode(typed: string): string | null {
  const s = typed
    .toUpperCase()
    .replace(/^CUSTODY-ENROL:/, '')
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
  return /^[0-9A-HJKMNP-TV-Z]{12}$/.test(s) ? s : null
}

export const enrolmentCodeHash = (normalised: string): string => toHex(sha256(utf8(normalised)))

/** The raw uncompressed P-256 point (65 bytes) from its base64, or null if it is not a point on the curve. */
export function parseDevicePublicKey(b64: string): Uint8Array | null {
  try {
    const raw = fromBase64(b64)
    if (raw.length !== 65 || raw[0] !== 0x04) return null
    p256.Point.fromBytes(raw).assertValidity()
    return raw
  } catch {
    return null
  }
}

/** ECDSA P-256 / SHA-256 over `message`, signature raw r‖s (what WebCrypto gives; high S accepted as WebCrypto makes it). */
export function verifyDeviceSignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false
  const key = nativeKey(publicKey)
  if (key) {
    try {
      // The runtime's own ECDSA (BoringSSL in Bun, OpenSSL in Node): ~20× noble's, and like it accepts high S.
      return nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)
    } catch {
      // A runtime without P-256 here: the pure implementation decides.
    }
  }
  return verifyDeviceSignatureNoble(publicKey, message, signature)
}

/** The same check in pure JS (noble): the fallback where the runtime's crypto cannot, and the reference in the tests. */
export function verifyDeviceSignatureNoble(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false
  try {
    return p256.verify(signature, message, publicKey, { prehash: true, format: 'compact', lowS: false })
  } catch {
    return false
  }
}

/** DER SubjectPublicKeyInfo of a P-256 key (id-ecPublicKey, prime256v1) up to its 65-byte uncompressed point. */
const SPKI_P256_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex')
/** Imported device keys by their point (a device's key never changes), so each is parsed once; null: the runtime would not. */
const nativeKeys = new Map<string, KeyObject | null>()
const NATIVE_KEYS_KEPT = 4096

function nativeKey(publicKey: Uint8Array): KeyObject | null {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return null
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64')
  let key = nativeKeys.get(id)
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.concat([SPKI_P256_PREFIX, publicKey]), format: 'der', type: 'spki' })
    } catch {
      key = null
    }
    if (nativeKeys.size >= NATIVE_KEYS_KEPT) nativeKeys.delete(nativeKeys.keys().next().value!)
    nativeKeys.set(id, key)
  }
  return key
}

/** A device-signed request as the deviceAuth middleware reads it. */
export interface DeviceRequest {
  deviceId: string
  /** Custody-Device-Time: ms since epoch, as sent. */
  time: number
  /** Custody-Device-Signature: base64 of r‖s. */
  signature: string
  method: string
  /** The path with its query, exactly as requested (e.g. `/api/kiosk/package?session=a&room=b`). */
  pathWithQuery: string
  body: Uint8Array
}

/** `"custody/kiosk-request/v1\n" + METHOD + "\n" + path-with-query + "\n" + time + "\n" + hex(sha256(body))`. */
export function deviceRequestMessage(req: Pick<DeviceRequest, 'method' | 'pathWithQuery' | 'time' | 'body'>): Uint8Array {
  return utf8(`${KIOSK_REQUEST_CONTEXT}${req.method.toUpperCase()}\n${req.pathWithQuery}\n${req.time}\n${toHex(sha256(req.body))}`)
}

/** A record as a device signs it: any canonical object with a base64 `signature`. */
export type SignedRecord = { signature: string } & { [k: string]: Canonical }

/** `"custody/kiosk-record/v1\n" + canonicalJson(record without "signature")`. */
export function recordMessage(record: { [k: string]: unknown }): Uint8Array {
  const { signature: _, ...rest } = record
  return utf8(KIOSK_RECORD_CONTEXT + canonicalJson(rest as Canonical))
}

/** Whether a record carries the device's signature over its canonical bytes. Never throws. */
export function verifyRecordSignature(device: Pick<Device, 'publicKey'>, record: { signature?: unknown; [k: string]: unknown }): boolean {
  if (typeof record?.signature !== 'string') return false
  try {
    return verifyDeviceSignature(device.publicKey, recordMessage(record), fromBase64(record.signature))
  } catch {
    return false
  }
}

/** A device as lists show it: the site by name. */
export interface DeviceView {
  id: string
  siteId: string
  siteName: string
  label: string
  state: 'active' | 'revoked'
  enrolledAt: number
  lastSeenAt: number | null
  revokedAt: number | null
  revokedBy: string | null
  revokeReason: string | null
}

export interface OpenedEnrolment {
  id: string
  siteId: string
  siteName: string
  label: string
  code: string
  qr: string
  expiresAt: number
}

export interface EnrolledDevice {
  deviceId: string
  siteId: string
  siteName: string
  label: string
}

/** Failed redemptions per address; a success takes its attempt back. Like the login limit per address. */
const ENROL_POLICY = ADDRESS_POLICY
/** All redemptions from everywhere: a guess from many addresses meets this. */
const ENROL_GLOBAL_POLICY = { max: 200, windowMs: 15 * 60_000 }
/** last_seen_at is written at most this often per device. */
const SEEN_EVERY_MS = 60_000

/**
 * Door kiosks (decision 011): enrolment codes, devices, revocation, and the checks of a device-signed request
 * and of a record a device made. Every change is one custody-log event in the same transaction.
 */
export class KioskDevices {
  private readonly byAddress = new FailureThrottle(ENROL_POLICY)
  private readonly everywhere = new FailureThrottle(ENROL_GLOBAL_POLICY, 1)

  constructor(
    private readonly db: Database,
    private readonly store: KioskDeviceStore,
    private readonly rooms: Pick<RoomsStore, 'site'>,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
  ) {}

  private siteName(id: string): string {
    return this.rooms.site(id)?.name ?? id
  }

  private view(d: Device): DeviceView {
    const { publicKey: _, enrolmentId: __, ...rest } = d
    return { ...rest, siteName: this.siteName(d.siteId) }
  }

  list(): DeviceView[] {
    return this.store.devices().map((d) => this.view(d))
  }

  device(id: string): Device | null {
    return this.store.device(id)
  }

  /** Opens a single-use enrolment for a site (admin). The code is answered once and never stored. */
  openEnrolment(caller: Person, cmd: { siteId: string; label: string }): Result<OpenedEnrolment, KioskRefusal> {
    const code = newEnrolmentCode()
    return this.db
      .transaction((): Result<OpenedEnrolment, KioskRefusal> => {
        const now = this.clock()
        const site = this.rooms.site(cmd.siteId)
        const e = openEnrolment(
          domainActor(caller).roles,
          { id: randomUUID(), siteId: cmd.siteId, label: cmd.label, codeHash: enrolmentCodeHash(normaliseEnrolmentCode(code)!), createdBy: caller.user },
          site !== null,
          now,
        )
        if (!e.ok) return e
        this.store.insertEnrolment(e.value)
        this.log.append({
          actor: caller,
          action: 'kiosk.enrolment_opened',
          subject: { type: 'kiosk_enrolment', id: e.value.id },
          where: { site: e.value.siteId },
          data: { label: e.value.label, expiresAt: new Date(e.value.expiresAt).toISOString() },
        })
        const v = e.value
        return ok({ id: v.id, siteId: v.siteId, siteName: site!.name, label: v.label, code, qr: ENROL_QR_PREFIX + code, expiresAt: v.expiresAt })
      })
      .immediate()
  }

  /**
   * Redeems a code with the device's public key (no login: the code is the credential). Rate limited per address
   * and overall; every refusal is the same `kiosk.enrolment_invalid`.
   */
  enrol(address: string, cmd: { code: string; publicKey: string; label: string }): Result<EnrolledDevice, KioskRefusal> {
    const now = this.clock()
    const wait = Math.max(this.byAddress.retryAfter(address, now), this.everywhere.retryAfter('*', now))
    if (wait > 0) return refuse({ code: 'kiosk.rate_limited', retryAfterMs: wait })
    this.byAddress.count(address, now)
    this.everywhere.count('*', now)
    const normal = normaliseEnrolmentCode(cmd.code)
    const r = this.db
      .transaction((): Result<EnrolledDevice, KioskRefusal> => {
        const e: Enrolment | null = normal ? this.store.enrolmentByHash(enrolmentCodeHash(normal)) : null
        const d = enrol(e, { deviceId: randomUUID(), publicKey: parseDevicePublicKey(cmd.publicKey), label: cmd.label }, now)
        if (!d.ok) return d
        if (!this.store.useEnrolment(d.value.enrolment.id, now, d.value.device.id)) return refuse({ code: 'kiosk.enrolment_invalid' })
        const dev = d.value.device
        this.store.insertDevice(dev)
        this.log.append({
          actor: { system: 'kiosk-enrolment' },
          action: 'kiosk.device_enrolled',
          subject: { type: 'kiosk_device', id: dev.id },
          where: { site: dev.siteId },
          data: {
            label: dev.label,
            enrolment: d.value.enrolment.id,
            openedBy: d.value.enrolment.createdBy,
            publicKeySha256: toHex(sha256(dev.publicKey)),
            address,
          },
        })
        return ok({ deviceId: dev.id, siteId: dev.siteId, siteName: this.siteName(dev.siteId), label: dev.label })
      })
      .immediate()
    if (r.ok) {
      this.byAddress.uncount(address, now)
      this.everywhere.uncount('*', now)
    }
    return r
  }

  /** Revokes a device at once (admin or supervisor, a reason): every later request it signs is refused. */
  revoke(caller: Person, id: string, reason: string): Result<DeviceView, KioskRefusal> {
    return this.db
      .transaction((): Result<DeviceView, KioskRefusal> => {
        const next = revokeDevice(this.store.device(id), domainActor(caller).roles, { by: caller.user, reason }, this.clock())
        if (!next.ok) return next
        if (!this.store.revoke(next.value)) return refuse({ code: 'kiosk.move_not_allowed', state: 'revoked' })
        this.log.append({
          actor: caller,
          action: 'kiosk.device_revoked',
          subject: { type: 'kiosk_device', id },
          where: { site: next.value.siteId },
          data: { label: next.value.label, reason: next.value.revokeReason ?? '' },
        })
        return ok(this.view(next.value))
      })
      .immediate()
  }

  /**
   * Checks a device-signed request: the device exists and is active, its time is within 5 minutes of `now`,
   * and the signature (ECDSA P-256, raw r‖s, base64) covers deviceRequestMessage(req). Refusals in that order.
   */
  verifyDeviceRequest(req: DeviceRequest, now: number): Result<Device, KioskDeviceRefusal> {
    const checked = checkDevice(typeof req.deviceId === 'string' && req.deviceId.length <= 64 ? this.store.device(req.deviceId) : null, req.time, now)
    if (!checked.ok) return checked
    let sig: Uint8Array
    try {
      sig = fromBase64(req.signature)
    } catch {
      return refuse({ code: 'kiosk.signature_invalid' })
    }
    if (!verifyDeviceSignature(checked.value.publicKey, deviceRequestMessage(req), sig)) return refuse({ code: 'kiosk.signature_invalid' })
    return ok(checked.value)
  }

  /** Notes when a device was last seen (telemetry for the list; not a custody event), at most once a minute. */
  seen(d: Device, now: number): void {
    if (d.lastSeenAt === null || now - d.lastSeenAt >= SEEN_EVERY_MS) this.store.seen(d.id, now)
  }

  /** Whether a record carries this device's signature (see the exported function). */
  verifyRecordSignature(device: Pick<Device, 'publicKey'>, record: { signature?: unknown; [k: string]: unknown }): boolean {
    return verifyRecordSignature(device, record)
  }
}
