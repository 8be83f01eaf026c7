import { describe, expect, test } from 'vitest'
import { fromBase64, verifyCertificateQr } from '../crypto/index.ts'
import type { AppDeps } from '../server/app.ts'
import type { Role } from '../server/domain/accounts/index.ts'
import { makeTestApp } from './_app.ts'
import { BODY, certFixture } from './_certificates.ts'

async function setup(deps: Partial<AppDeps> = {}) {
  const f = certFixture(makeTestApp(deps))
  const who = async (roles: Role[]) => (await f.app.userWith(roles)).cookie
  const admin = await who(['admin'])
  const registrar = await who(['registrar'])
  const registrar2 = await who(['registrar'])
  const supervisor = await who(['supervisor'])
  const examiner = await who(['examiner'])
  return { f, admin, registrar, registrar2, supervisor, examiner, call: f.app.call }
}

async function issued(deps: Partial<AppDeps> = {}) {
  const s = await setup(deps)
  expect((await s.call('PUT', '/api/certificates/body', { cookie: s.admin, body: BODY })).status).toBe(200)
  expect((await s.call('PUT', '/api/batches/b1/certificate-approval', { cookie: s.registrar, body: { ref: '渝职鉴〔2026〕17号' } })).status).toBe(200)
  const res = await s.call('POST', '/api/batches/b1/certificates', { cookie: s.registrar, body: { candidateId: 'c1' } })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { certificate: { number: string; text: string } }
  return { ...s, cert: body.certificate }
}

describe('roles', () => {
  test('the body number is the administrator’s; issuing is the registrar’s; others are refused and logged', async () => {
    const s = await setup()
    const size = s.f.app.services.log.size()
    expect((await s.call('PUT', '/api/certificates/body', { cookie: s.registrar, body: BODY })).status).toBe(403)
    expect((await s.call('POST', '/api/batches/b1/certificates', { cookie: s.admin, body: {} })).status).toBe(403)
    expect((await s.call('POST', '/api/batches/b1/certificates', { cookie: s.examiner, body: {} })).status).toBe(403)
    expect((await s.call('GET', '/api/batches/b1/certificates', { cookie: s.examiner })).status).toBe(403)
    expect((await s.call('POST', '/api/keys/certificates/rotate', { cookie: s.supervisor })).status).toBe(403)
    expect((await s.call('GET', '/api/batches/b1/certificates')).status).toBe(401)
    s.f.app.services.refusals.flushAll()
    const refused = s.f.events(size).filter((e) => e.outcome === 'refused')
    expect(refused.length).toBeGreaterThanOrEqual(5)
  })

  test('a refused issue names the missing condition (zh/en) and changes nothing', async () => {
    const s = await setup()
    await s.call('PUT', '/api/certificates/body', { cookie: s.admin, body: BODY })
    const res = await s.call('POST', '/api/batches/b1/certificates', { cookie: s.registrar, body: { candidateId: 'c1' } })
    expect(res.status).toBe(409)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('certificate.approval_missing')
    expect(body.error.message).toContain('审核批复文号')
    const list = (await (await s.call('GET', '/api/batches/b1/certificates', { cookie: s.registrar })).json()) as {
      candidates: Array<{ missing: Array<{ code: string }>; certificate: unknown }>
    }
    expect(list.candidates[0]!.missing.map((m) => m.code)).toEqual(['certificate.approval_missing'])
    expect(list.candidates[0]!.certificate).toBeNull()
  })

  test('a bad body configuration is 400 with its position', async () => {
    const s = await setup()
    const res = await s.call('PUT', '/api/certificates/body', { cookie: s.admin, body: { ...BODY, sequenceCode: '000000' } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string; details: { position: number } } }).error).toMatchObject({
      code: 'certificate.body_config_invalid',
      details: { position: 8 },
    })
  })
})

describe("the body's name", () => {
  test('set by the administrator with the number; read back; a bad one is 400 and changes nothing', async () => {
    const s = await setup()
    const read = async () => (await (await s.call('GET', '/api/certificates/body', { cookie: s.registrar })).json()) as { name: string; nameSet: boolean }
    const bad = await s.call('PUT', '/api/certificates/body', { cookie: s.admin, body: { ...BODY, name: ' x ' } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('certificate.body_name_invalid')
    const res = await s.call('PUT', '/api/certificates/body', { cookie: s.admin, body: { ...BODY, name: '重庆市第三职业技能评价站' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ name: '重庆市第三职业技能评价站', prefix: 'S000050000001' })
    expect(await read()).toMatchObject({ name: '重庆市第三职业技能评价站', nameSet: true })
  })
})

describe('public verification (no login)', () => {
  test('valid, then revoked after a reissue approved by a second person, and unknown', async () => {
    const s = await issued()
    const v = (await (await s.call('GET', `/api/public/certificates/${s.cert.number}`)).json()) as Record<string, unknown>
    expect(v).toMatchObject({ status: 'valid', holderName: '张*', occupationName: '电工', levelName: '四级/中级工', issuedOn: '2026-11-25' })
    expect(JSON.stringify(v)).not.toContain('张三')
    expect(JSON.stringify(v)).not.toContain('1101') // not even the visible part of the ID number

    const wrong = await s.call('POST', `/api/certificates/${s.cert.number}/reissue-requests`, {
      cookie: s.registrar,
      body: { residentId: '110105194912310011', reason: '遗失' },
    })
    expect(wrong.status).toBe(409)
    expect(await wrong.text()).not.toContain('002X')
    const req = await s.call('POST', `/api/certificates/${s.cert.number}/reissue-requests`, {
      cookie: s.registrar,
      body: { residentId: '11010519491231002X', reason: '遗失' },
    })
    expect(req.status).toBe(201)
    const { id } = (await req.json()) as { id: string }
    expect((await s.call('POST', `/api/certificate-reissues/${id}/decision`, { cookie: s.registrar, body: { approve: true } })).status).toBe(409)
    const ok = await s.call('POST', `/api/certificate-reissues/${id}/decision`, { cookie: s.supervisor, body: { approve: true } })
    expect(ok.status).toBe(200)
    const fresh = ((await ok.json()) as { certificate: { number: string } }).certificate.number

    const old = (await (await s.call('GET', `/api/public/certificates/${s.cert.number}`)).json()) as Record<string, unknown>
    expect(old).toMatchObject({ status: 'revoked', replacedBy: fresh })
    const unknown = (await (await s.call('GET', '/api/public/certificates/S000050000001264000777')).json()) as Record<string, unknown>
    expect(unknown).toEqual({ status: 'unknown', number: 'S000050000001264000777' })
  })

  test('a tampered payload is refused by the verify API and by verifyCertificateQr with the published keys', async () => {
    const s = await issued()
    const keys = ((await (await s.call('GET', '/api/public/certificate-keys')).json()) as { keys: Array<{ keyId: string; publicKey: string }> }).keys.map(
      (k) => ({ keyId: k.keyId, publicKey: fromBase64(k.publicKey) }),
    )
    const qr = `https://custody.example.org/verify/${s.cert.number}#${s.cert.text}`
    expect(verifyCertificateQr(qr, keys).ok).toBe(true)
    const good = (await (await s.call('POST', '/api/public/certificates/verify', { body: { qr } })).json()) as Record<string, unknown>
    expect(good).toMatchObject({ signature: { ok: true }, status: { status: 'valid' } })

    // one payload character changed (the name bytes), the signature kept
    const [pre, keyId, payload, sig] = s.cert.text.split('.')
    const i = 40
    const flipped = payload!.slice(0, i) + (payload![i] === 'A' ? 'B' : 'A') + payload!.slice(i + 1)
    const tampered = `https://custody.example.org/verify/${s.cert.number}#${[pre, keyId, flipped, sig].join('.')}`
    const offline = verifyCertificateQr(tampered, keys)
    expect(offline.ok).toBe(false)
    const bad = (await (await s.call('POST', '/api/public/certificates/verify', { body: { qr: tampered } })).json()) as Record<string, unknown>
    expect(bad).toMatchObject({ signature: { ok: false, code: expect.stringMatching(/^certificate\.(bad_signature|malformed)$/) }, status: null })
  })

  test('public lookups are rate limited per address', async () => {
    const s = await issued()
    let last = 200
    for (let i = 0; i < 40 && last === 200; i++) last = (await s.call('GET', `/api/public/certificates/${s.cert.number}`)).status
    expect(last).toBe(429)
    s.f.app.clock.now += 61_000
    expect((await s.call('GET', `/api/public/certificates/${s.cert.number}`)).status).toBe(200)
  })

  test('the printable certificate carries the masked ID, the level name and a QR of the public page', async () => {
    const s = await issued()
    const res = await s.call('GET', `/api/certificates/${s.cert.number}/print`, { cookie: s.registrar })
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('1101**********002X')
    expect(page).toContain('四级/中级工')
    expect(page).toContain('<svg')
    expect(page).not.toContain('11010519491231002X')
    expect((await s.call('GET', `/api/certificates/${s.cert.number}/print`, { cookie: s.supervisor })).status).toBe(403)
  })

  test('the QR opens the configured public origin (CUSTODY_PUBLIC_ORIGIN), not whatever host the print was asked at', async () => {
    const qrOf = (page: string) => /<span class="mono">([^<]+)<\/span><\/figcaption>/.exec(page)?.[1]
    const own = await issued()
    const asked = await (await own.call('GET', `/api/certificates/${own.cert.number}/print`, { cookie: own.registrar })).text()
    expect(qrOf(asked)).toBe(`http://localhost/verify/${own.cert.number}`) // unset: the request's own origin
    const s = await issued({ verifyOrigin: 'https://jianding.example.cn' })
    // asked through a proxy's inner name: the print still points where the public goes
    const res = await s.f.app.app.request(`http://proxy.internal:8080/api/certificates/${s.cert.number}/print`, { headers: { Cookie: s.registrar } })
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(qrOf(page)).toBe(`https://jianding.example.cn/verify/${s.cert.number}`)
    expect(page).not.toContain('proxy.internal')
  })

  test('the key list and rotation (admin); the old certificate stays verifiable', async () => {
    const s = await issued()
    const rot = await s.call('POST', '/api/keys/certificates/rotate', { cookie: s.admin })
    expect(rot.status).toBe(200)
    const keys = ((await (await s.call('GET', '/api/public/certificate-keys')).json()) as { keys: Array<{ keyId: string; publicKey: string }> }).keys
    expect(keys).toHaveLength(2)
    const ring = keys.map((k) => ({ keyId: k.keyId, publicKey: fromBase64(k.publicKey) }))
    expect(verifyCertificateQr(s.cert.text, ring).ok).toBe(true)
    const list = (await (await s.call('GET', '/api/keys/certificates', { cookie: s.admin })).json()) as {
      keys: Array<{ active: boolean; liveCertificates: number }>
    }
    expect(list.keys.map((k) => [k.active, k.liveCertificates])).toEqual([
      [false, 1],
      [true, 0],
    ])
  })
})
