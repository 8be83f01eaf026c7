import { Hono } from 'hono'
import { describe, expect, test } from 'vitest'
import type { AppEnv } from '../server/http/_context.ts'
import { canonicalJson } from '../audit/index.ts'
import { fromBase64, sha256, toBase64, toHex, utf8 } from '../crypto/index.ts'
import { DEVICE_HEADER, DEVICE_SIGNATURE_HEADER, DEVICE_TIME_HEADER, deviceAuth } from '../server/http/kiosk-devices/index.ts'
import {
  type DeviceRequest,
  deviceRequestMessage,
  enrolmentCodeHash,
  normaliseEnrolmentCode,
  recordMessage,
  verifyDeviceSignature,
  verifyRecordSignature,
} from '../server/services/kiosk-devices.ts'
import { type TestApp, makeTestApp } from './_app.ts'

const subtle = globalThis.crypto.subtle
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const

/** A tablet's key as the kiosk makes it: WebCrypto P-256, private half not extractable. */
async function tabletKey() {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
  return { pair, raw, b64: toBase64(raw), sign: async (m: Uint8Array) => new Uint8Array(await subtle.sign(ECDSA, pair.privateKey, m as BufferSource)) }
}
type Tablet = Awaited<ReturnType<typeof tabletKey>>

const actionsSince = (app: TestApp, from: number) => Array.from({ length: app.services.log.size() - from }, (_, i) => app.services.log.entry(from + i)!.event)
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code

async function world() {
  const app = makeTestApp()
  const admin = await app.userWith(['admin'])
  const sup = await app.userWith(['supervisor'])
  const site = app.services.rooms.createSite({ system: 'test' }, { name: '重庆工业职业技术学院考点', address: '重庆市渝北区' })
  if (!site.ok) throw new Error(site.error.code)
  const open = async (label = '101 门口') => {
    const res = await app.call('POST', '/api/kiosk/enrolments', { cookie: admin.cookie, body: { siteId: site.value.id, label } })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: string; code: string; qr: string; siteName: string; expiresAt: string }
  }
  const enrolTablet = async (t?: Tablet) => {
    const tablet = t ?? (await tabletKey())
    const { code: c } = await open()
    const res = await app.call('POST', '/api/kiosk/devices', { body: { code: c, publicKey: tablet.b64, label: '' } })
    expect(res.status).toBe(201)
    return { tablet, deviceId: ((await res.json()) as { deviceId: string }).deviceId }
  }
  return { app, admin, sup, site: site.value, open, enrolTablet }
}

describe('enrolment codes (admin)', () => {
  test('an administrator gets a code XXXX-XXXX-XXXX (Crockford base32) once, with its QR text; only its SHA-256 is kept; the event never holds it', async () => {
    const { app, site, open } = await world()
    const before = app.services.log.size()
    const e = await open()
    expect(e.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(e.qr).toBe(`custody-enrol:${e.code}`)
    expect(e.siteName).toBe(site.name)
    expect(Date.parse(e.expiresAt)).toBe(app.clock.now + 15 * 60_000)
    const row = app.services.db.query<{ code_hash: string }, []>('SELECT * FROM kiosk_enrolments').get()!
    expect(row.code_hash).toBe(toHex(sha256(utf8(e.code.replaceAll('-', '')))))
    expect(JSON.stringify(row)).not.toContain(e.code.replaceAll('-', ''))
    const events = actionsSince(app, before)
    expect(events.map((x) => x.action)).toEqual(['kiosk.enrolment_opened'])
    expect(events[0]).toMatchObject({ subject: { type: 'kiosk_enrolment', id: e.id }, where: { site: site.id } })
    expect(JSON.stringify(events[0])).not.toContain(e.code.replaceAll('-', '').slice(0, 8))
  })

  test('every other role is refused 403 and nothing is stored; the refusal is logged', async () => {
    const { app, site } = await world()
    for (const roles of [['supervisor'], ['registrar'], ['custodian'], ['invigilator']] as const) {
      const u = await app.userWith([...roles])
      const before = app.services.log.size()
      const res = await app.call('POST', '/api/kiosk/enrolments', { cookie: u.cookie, body: { siteId: site.id, label: 'x' } })
      expect(res.status).toBe(403)
      expect(await code(res)).toBe('auth.forbidden')
      expect(actionsSince(app, before).map((x) => x.action)).toEqual(['request.refused'])
    }
    expect(app.services.db.query('SELECT count(*) AS n FROM kiosk_enrolments').get()).toEqual({ n: 0 })
    expect((await app.call('POST', '/api/kiosk/enrolments', { body: { siteId: site.id, label: 'x' } })).status).toBe(401)
  })

  test('bad input is 400 request.invalid, an unknown site 404 kiosk.site_not_found; nothing is stored', async () => {
    const { app, admin, site } = await world()
    const post = (body: unknown) => app.call('POST', '/api/kiosk/enrolments', { cookie: admin.cookie, body })
    for (const body of [
      {},
      { siteId: site.id },
      { siteId: site.id, label: '' },
      { siteId: site.id, label: 'x'.repeat(61) },
      { siteId: site.id, label: 'x', extra: 1 },
    ]) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(await code(res)).toBe('request.invalid')
    }
    const res = await post({ siteId: 'no-such-site', label: 'x' })
    expect(res.status).toBe(404)
    expect(await code(res)).toBe('kiosk.site_not_found')
    expect(await code(await post({ siteId: site.id, label: '   ' }))).toBe('kiosk.label_invalid')
    expect(app.services.db.query('SELECT count(*) AS n FROM kiosk_enrolments').get()).toEqual({ n: 0 })
  })

  test('a typed code is read the Crockford way: case, dashes, spaces, I/L and O do not matter', () => {
    expect(normaliseEnrolmentCode('7k3m-q9td-2xbf')).toBe('7K3MQ9TD2XBF')
    expect(normaliseEnrolmentCode('custody-enrol:7K3M-Q9TD-2XBF')).toBe('7K3MQ9TD2XBF')
    expect(normaliseEnrolmentCode('OIL0 0000 0000')).toBe('0110' + '00000000')
    expect(normaliseEnrolmentCode('7K3M-Q9TD-2XB')).toBeNull()
    expect(normaliseEnrolmentCode('7K3M-Q9TD-2XBU')).toBeNull() // U is not a Crockford digit
    expect(enrolmentCodeHash('7K3MQ9TD2XBF')).toBe(toHex(sha256(utf8('7K3MQ9TD2XBF'))))
  })
})

describe('a tablet enrols (no login; the code is the credential)', () => {
  test('a WebCrypto P-256 key and a fresh code make an active device of the code’s site; the event names the key, not the code', async () => {
    const { app, site, open } = await world()
    const t = await tabletKey()
    const e = await open('101 门口')
    const before = app.services.log.size()
    const res = await app.call('POST', '/api/kiosk/devices', { body: { code: e.code.toLowerCase(), publicKey: t.b64, label: '101 前门' } })
    expect(res.status).toBe(201)
    const d = (await res.json()) as { deviceId: string; siteId: string; siteName: string; label: string }
    expect(d).toEqual({ deviceId: expect.any(String), siteId: site.id, siteName: site.name, label: '101 前门' })
    const stored = app.services.kioskDevices.device(d.deviceId)!
    expect(stored.publicKey).toEqual(t.raw)
    expect(stored.state).toBe('active')
    const events = actionsSince(app, before)
    expect(events.map((x) => x.action)).toEqual(['kiosk.device_enrolled'])
    expect(events[0]!.data).toMatchObject({ label: '101 前门', enrolment: e.id, publicKeySha256: toHex(sha256(t.raw)) })
  })

  test('a used, expired or wrong code all answer 403 kiosk.enrolment_invalid and change nothing', async () => {
    const { app, open } = await world()
    const t = await tabletKey()
    const e = await open()
    const post = (c: string) => app.call('POST', '/api/kiosk/devices', { body: { code: c, publicKey: t.b64 } })
    expect((await post(e.code)).status).toBe(201)
    const late = await open()
    const before = app.services.log.size()
    const used = await post(e.code)
    expect(used.status).toBe(403)
    const bodyUsed = await used.json()
    const wrong = await post('0000-0000-0000')
    const bodyWrong = await wrong.json()
    app.clock.now += 15 * 60_000
    const expired = await post(late.code)
    expect([used.status, wrong.status, expired.status]).toEqual([403, 403, 403])
    expect(bodyWrong).toEqual(bodyUsed)
    expect(await expired.json()).toEqual(bodyUsed)
    expect((bodyUsed as { error: { code: string; details?: unknown } }).error).toEqual({
      code: 'kiosk.enrolment_invalid',
      message: '登记码无效',
      messageEn: 'The enrolment code is not valid',
    })
    expect(app.services.log.size()).toBe(before)
    expect(app.services.kioskDevices.list()).toHaveLength(1)
  })

  test('a public key that is not a P-256 point is 400 kiosk.public_key_invalid, and the code stays usable', async () => {
    const { app, open } = await world()
    const e = await open()
    const t = await tabletKey()
    const bad = [toBase64(t.raw.slice(0, 64)), toBase64(new Uint8Array(65).fill(4)), toBase64(Uint8Array.from([2, ...t.raw.slice(1, 33)])), 'not base64!']
    for (const publicKey of bad) {
      const res = await app.call('POST', '/api/kiosk/devices', { body: { code: e.code, publicKey } })
      expect(res.status).toBe(400)
      expect(await code(res)).toBe('kiosk.public_key_invalid')
    }
    expect((await app.call('POST', '/api/kiosk/devices', { body: { code: e.code, publicKey: t.b64 } })).status).toBe(201)
  })

  test('guessing is rate limited like logins: after 20 failures from an address, 429 kiosk.rate_limited with Retry-After, even for a good code', async () => {
    const { app, open } = await world()
    const t = await tabletKey()
    for (let i = 0; i < 20; i++) {
      const res = await app.call('POST', '/api/kiosk/devices', { body: { code: `0000-0000-${String(i).padStart(4, '0')}`, publicKey: t.b64 } })
      expect(res.status).toBe(403)
    }
    const e = await open()
    const res = await app.call('POST', '/api/kiosk/devices', { body: { code: e.code, publicKey: t.b64 } })
    expect(res.status).toBe(429)
    expect(await code(res)).toBe('kiosk.rate_limited')
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0)
    app.clock.now += 15 * 60_000 + 1
    const e2 = await open()
    expect((await app.call('POST', '/api/kiosk/devices', { body: { code: e2.code, publicKey: t.b64 } })).status).toBe(201)
  })
})

describe('the device list and revocation', () => {
  test('administrators and supervisors list devices with site name, label, enrolled, last seen and state; others 403', async () => {
    const { app, admin, sup, site, enrolTablet } = await world()
    const { deviceId } = await enrolTablet()
    for (const who of [admin, sup]) {
      const res = await app.call('GET', '/api/kiosk/devices', { cookie: who.cookie })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { devices: unknown[] }).devices).toEqual([
        {
          id: deviceId,
          siteId: site.id,
          siteName: site.name,
          label: '101 门口',
          state: 'active',
          enrolledAt: new Date(app.clock.now).toISOString(),
          lastSeenAt: null,
          revokedAt: null,
          revokedBy: null,
          revokeReason: null,
        },
      ])
    }
    for (const roles of [['registrar'], ['invigilator'], ['custodian'], ['examiner']] as const) {
      const u = await app.userWith([...roles])
      expect((await app.call('GET', '/api/kiosk/devices', { cookie: u.cookie })).status).toBe(403)
    }
  })

  test('a supervisor revokes with a reason (logged); a second revoke is 409; no reason 400; other roles 403 and nothing changes', async () => {
    const { app, sup, enrolTablet } = await world()
    const { deviceId } = await enrolTablet()
    const revoke = (cookie: string, body: unknown) => app.call('POST', `/api/kiosk/devices/${deviceId}/revoke`, { cookie, body })
    const reg = await app.userWith(['registrar'])
    expect((await revoke(reg.cookie, { reason: '丢失' })).status).toBe(403)
    expect((await revoke(sup.cookie, {})).status).toBe(400)
    expect(await code(await revoke(sup.cookie, { reason: '   ' }))).toBe('kiosk.reason_required')
    expect(app.services.kioskDevices.device(deviceId)!.state).toBe('active')
    const before = app.services.log.size()
    const res = await revoke(sup.cookie, { reason: '平板丢失' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ state: 'revoked', revokeReason: '平板丢失', revokedBy: { userId: sup.id, displayName: sup.username } })
    const events = actionsSince(app, before)
    expect(events.map((x) => x.action)).toEqual(['kiosk.device_revoked'])
    expect(events[0]).toMatchObject({
      actor: { user: sup.id, roles: ['supervisor'] },
      subject: { type: 'kiosk_device', id: deviceId },
      data: { reason: '平板丢失' },
    })
    const again = await revoke(sup.cookie, { reason: '再次' })
    expect(again.status).toBe(409)
    expect(await code(again)).toBe('kiosk.move_not_allowed')
    const none = await app.call('POST', '/api/kiosk/devices/nope/revoke', { cookie: sup.cookie, body: { reason: 'x' } })
    expect(none.status).toBe(404)
    expect(await code(none)).toBe('kiosk.device_not_found')
  })
})

describe('device-signed requests (verifyDeviceRequest, deviceAuth)', () => {
  const req = (deviceId: string, time: number, body: Uint8Array = new Uint8Array()): Omit<DeviceRequest, 'signature'> => ({
    deviceId,
    time,
    method: 'POST',
    pathWithQuery: '/api/kiosk/sync?x=1',
    body,
  })

  test('the message is "custody/kiosk-request/v1\\n" METHOD \\n path?query \\n time \\n hex(sha256(body))', () => {
    const m = deviceRequestMessage({ method: 'get', pathWithQuery: '/api/kiosk/package?session=s&room=r', time: 1764892800000, body: new Uint8Array() })
    expect(new TextDecoder().decode(m)).toBe(
      'custody/kiosk-request/v1\nGET\n/api/kiosk/package?session=s&room=r\n1764892800000\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  test('WebCrypto ECDSA signatures (raw r‖s, high and low S) verify; a changed body, path, method or time does not', async () => {
    const { app, enrolTablet } = await world()
    const { tablet, deviceId } = await enrolTablet()
    const now = app.clock.now
    const k = app.services.kioskDevices
    const highS: boolean[] = []
    for (let i = 0; i < 24; i++) {
      const r = req(deviceId, now + i, utf8(`{"n":${i}}`))
      const signature = toBase64(await tablet.sign(deviceRequestMessage(r)))
      expect(fromBase64(signature)).toHaveLength(64)
      highS.push(BigInt(`0x${toHex(fromBase64(signature).slice(32))}`) > P256_N / 2n)
      expect(k.verifyDeviceRequest({ ...r, signature }, now)).toMatchObject({ ok: true, value: { id: deviceId } })
      const bad = { code: 'kiosk.signature_invalid' }
      expect(k.verifyDeviceRequest({ ...r, signature, body: utf8(`{"n":${i + 1}}`) }, now)).toEqual({ ok: false, error: bad })
      expect(k.verifyDeviceRequest({ ...r, signature, pathWithQuery: '/api/kiosk/sync?x=2' }, now)).toEqual({ ok: false, error: bad })
      expect(k.verifyDeviceRequest({ ...r, signature, method: 'PUT' }, now)).toEqual({ ok: false, error: bad })
      expect(k.verifyDeviceRequest({ ...r, signature, time: r.time + 1 }, now)).toEqual({ ok: false, error: bad })
    }
    // WebCrypto does not normalise S: both halves occur (all 24 on one side: about 1 in 8 million).
    expect(highS).toContain(true)
    expect(highS).toContain(false)
  })

  test('refusals: unknown device, revoked device, clock more than 5 minutes off, bad signature bytes, another device’s signature', async () => {
    const { app, sup, enrolTablet } = await world()
    const a = await enrolTablet()
    const b = await enrolTablet()
    const now = app.clock.now
    const k = app.services.kioskDevices
    const signed = async (t: Tablet, r: Omit<DeviceRequest, 'signature'>) => ({ ...r, signature: toBase64(await t.sign(deviceRequestMessage(r))) })
    expect(k.verifyDeviceRequest(await signed(a.tablet, req('no-such-device', now)), now)).toEqual({ ok: false, error: { code: 'kiosk.device_unknown' } })
    expect(k.verifyDeviceRequest(await signed(a.tablet, req(a.deviceId, now + 5 * 60_000 + 1)), now)).toEqual({
      ok: false,
      error: { code: 'kiosk.clock_skew' },
    })
    expect(k.verifyDeviceRequest(await signed(b.tablet, req(a.deviceId, now)), now)).toEqual({ ok: false, error: { code: 'kiosk.signature_invalid' } })
    expect(k.verifyDeviceRequest({ ...req(a.deviceId, now), signature: 'AAAA' }, now)).toEqual({ ok: false, error: { code: 'kiosk.signature_invalid' } })
    expect(k.verifyDeviceRequest({ ...req(a.deviceId, now), signature: '***' }, now)).toEqual({ ok: false, error: { code: 'kiosk.signature_invalid' } })
    const good = await signed(a.tablet, req(a.deviceId, now))
    expect(k.verifyDeviceRequest(good, now).ok).toBe(true)
    await app.call('POST', `/api/kiosk/devices/${a.deviceId}/revoke`, { cookie: sup.cookie, body: { reason: '丢失' } })
    expect(k.verifyDeviceRequest(good, now)).toEqual({ ok: false, error: { code: 'kiosk.device_revoked' } })
  })

  test('deviceAuth reads the three headers, puts the device on the context and notes when it was last seen; refusals 401/403 with codes', async () => {
    const { app, sup, enrolTablet } = await world()
    // A route behind deviceAuth, on its own Hono app with the same services (the app's router is built already).
    const door = new Hono<AppEnv>()
    door.use('*', (c, next) => (c.set('services', app.services), next()))
    door.post('/api/test-device/echo', deviceAuth, async (c) => c.json({ device: c.var.device!.id, body: await c.req.json() }))
    const { tablet, deviceId } = await enrolTablet()
    const call = async (opts: { id?: string; time?: number; sign?: boolean; sigOver?: string; path?: string } = {}) => {
      const body = JSON.stringify({ records: [1, 2] })
      const time = opts.time ?? app.clock.now
      const path = opts.path ?? '/api/test-device/echo?a=1'
      const message = deviceRequestMessage({ method: 'POST', pathWithQuery: path, time, body: utf8(opts.sigOver ?? body) })
      const headers: Record<string, string> = { [DEVICE_HEADER]: opts.id ?? deviceId, [DEVICE_TIME_HEADER]: String(time) }
      if (opts.sign !== false) headers[DEVICE_SIGNATURE_HEADER] = toBase64(await tablet.sign(message))
      return door.request('http://localhost/api/test-device/echo?a=1', { method: 'POST', body, headers: { ...headers, 'Content-Type': 'application/json' } })
    }
    const res = await call()
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ device: deviceId, body: { records: [1, 2] } })
    expect(app.services.kioskDevices.device(deviceId)!.lastSeenAt).toBe(app.clock.now)
    const refused = async (r: Response, status: number, c: string) => {
      expect(r.status).toBe(status)
      expect(await code(r)).toBe(c)
    }
    await refused(await call({ id: 'other' }), 401, 'kiosk.device_unknown')
    await refused(await call({ sign: false }), 401, 'kiosk.signature_invalid')
    await refused(await call({ sigOver: '{}' }), 401, 'kiosk.signature_invalid')
    await refused(await call({ path: '/api/test-device/echo?a=2' }), 401, 'kiosk.signature_invalid')
    await refused(await call({ time: app.clock.now - 6 * 60_000 }), 401, 'kiosk.clock_skew')
    await refused(await door.request('http://localhost/api/test-device/echo?a=1', { method: 'POST', body: '{}' }), 401, 'kiosk.device_unknown')
    await app.call('POST', `/api/kiosk/devices/${deviceId}/revoke`, { cookie: sup.cookie, body: { reason: '丢失' } })
    await refused(await call(), 403, 'kiosk.device_revoked')
  })
})

describe('records a device signs (verifyRecordSignature)', () => {
  test('a WebCrypto signature over "custody/kiosk-record/v1\\n" + canonicalJson(record without signature) verifies; any change does not', async () => {
    const t = await tabletKey()
    const record = {
      id: '6f1c2a3e-8b7d-4e5f-9a0b-1c2d3e4f5a6b',
      kind: 'admission',
      deviceId: 'd1',
      sessionId: 's1',
      roomId: 'r1',
      userId: 'u1',
      madeAt: 1764892800000,
      online: false,
      body: { ticketNumber: '2026-3F9A1C-00001', idCheck: 'matched', idNumberTyped: false, verdict: 'admitted' },
    }
    expect(new TextDecoder().decode(recordMessage({ ...record, signature: 'x' }))).toBe(`custody/kiosk-record/v1\n${canonicalJson(record)}`)
    const signature = toBase64(await t.sign(utf8(`custody/kiosk-record/v1\n${canonicalJson(record)}`)))
    const device = { publicKey: t.raw }
    expect(verifyRecordSignature(device, { ...record, signature })).toBe(true)
    // Key order does not matter: the bytes are canonical.
    expect(verifyRecordSignature(device, { signature, ...Object.fromEntries(Object.entries(record).reverse()) })).toBe(true)
    expect(verifyRecordSignature(device, { ...record, madeAt: record.madeAt + 1, signature })).toBe(false)
    expect(verifyRecordSignature(device, { ...record, body: { ...record.body, verdict: 'too_late' }, signature })).toBe(false)
    expect(verifyRecordSignature(device, { ...record })).toBe(false)
    expect(verifyRecordSignature(device, { ...record, signature: 'not base64' })).toBe(false)
    expect(verifyRecordSignature({ publicKey: (await tabletKey()).raw }, { ...record, signature })).toBe(false)
    expect(verifyDeviceSignature(t.raw, utf8('x'), new Uint8Array(63))).toBe(false)
  })
})
