import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  type CertificatePayload,
  certificateKeyIdOf,
  certificateQr,
  decodeCertificate,
  ed25519,
  encodeCertificate,
  fromHex,
  signCertificate,
  toHex,
  verifyCertificateQr,
  verifyCertificateRing,
} from '../crypto/index.ts'
import { CERT, KEY_ID, PRIV, PUB } from './_certificate-vectors.ts'

const sign = (m: Uint8Array) => ed25519.sign(PRIV, m)
const CERT_BYTES =
  '01' +
  '01' + // version 1, type certificate
  '53303030303530303030303031323634303030303137' + // number: 22 ASCII bytes, S000050000001264000017
  '06e5bca0e4b889' + // holderName: text 张三
  '3131303130303258' + // maskedId: the 8 visible characters 1101 + 002X
  '0a362d33312d30312d3033' + // occupationCode: text 6-31-01-03
  '06e794b5e5b7a5' + // occupationName: text 电工
  '04' + // level 4
  '07ea070f' + // issuedOn 2026-07-15: u16 year, month, day
  '1ee9878de5ba86e5b7a5e4b89ae8818ce4b89ae68a80e69cafe5ada6e999a2' + // body: text 重庆工业职业技术学院
  '18e6b89de8818ce989b4e3809432303236e380953137e58fb7' + // batchRef: text 渝职鉴〔2026〕17号
  '00' // replaces: none
const CERT_TEXT =
  'CC1.523809d8.AQFTMDAwMDUwMDAwMDAxMjY0MDAwMDE3BuW8oOS4iTExMDEwMDJYCjYtMzEtMDEtMDMG55S15belBAfqBw8e6YeN5bqG5bel5Lia6IGM5Lia5oqA5pyv5a2m6ZmiGOa4neiBjOmJtOOAlDIwMjbjgJUxN-WPtwA' +
  '.nWgPSv6AuBhByStlQZMwlAqCAtRlRCxOm-1HvaT2VnGfkSjJJSdR98XAP9VeCytXPi4XNJqf88k5BHM1HIuNBw'

// The reissue (R8.3) of the certificate above: a new number, the old one named in `replaces`.
const REISSUE: CertificatePayload = { ...CERT, number: 'S000050000001264000031', issuedOn: '2026-11-02', replaces: 'S000050000001264000017' }
const REISSUE_BYTES =
  '0101' +
  '53303030303530303030303031323634303030303331' + // number S000050000001264000031
  '06e5bca0e4b889' +
  '3131303130303258' +
  '0a362d33312d30312d3033' +
  '06e794b5e5b7a5' +
  '04' +
  '07ea0b02' + // issuedOn 2026-11-02
  '1ee9878de5ba86e5b7a5e4b89ae8818ce4b89ae68a80e69cafe5ada6e999a2' +
  '18e6b89de8818ce989b4e3809432303236e380953137e58fb7' +
  '01' +
  '53303030303530303030303031323634303030303137' // replaces: flag 1, then S000050000001264000017
const REISSUE_TEXT =
  'CC1.523809d8.AQFTMDAwMDUwMDAwMDAxMjY0MDAwMDMxBuW8oOS4iTExMDEwMDJYCjYtMzEtMDEtMDMG55S15belBAfqCwIe6YeN5bqG5bel5Lia6IGM5Lia5oqA5pyv5a2m6ZmiGOa4neiBjOmJtOOAlDIwMjbjgJUxN-WPtwFTMDAwMDUwMDAwMDAxMjY0MDAwMDE3' +
  '.ZX4PfYuhknwZpJaS1MUQjdYYk1gANa6P1zqu7KT7wCK7fQ4bMrFCBPoEvYzRN7X4ScA1r6cyTjzohfAQcTEqCg'

const OTHER_PRIV = new Uint8Array(32).fill(0x0d)
const OTHER = { keyId: '0badc0de', publicKey: ed25519.publicKey(OTHER_PRIV) }
const RING = [OTHER, { keyId: KEY_ID, publicKey: PUB }]

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')
const fromB64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'))
const contextMessage = (keyId: string, payload: Uint8Array) =>
  new Uint8Array(Buffer.concat([Buffer.from('custody/certificate/v1\0'), Buffer.from(keyId, 'hex'), payload]))
/** A text whose signature verifies over any payload bytes, canonical or not. */
const signedRaw = (hex: string, keyId = KEY_ID) => {
  const p = fromHex(hex)
  return `CC1.${keyId}.${b64url(p)}.${b64url(ed25519.sign(PRIV, contextMessage(keyId, p)))}`
}
const refusal = (text: string, keys = RING) => {
  const r = verifyCertificateRing(text, keys)
  if (r.ok) throw new Error('expected a refusal')
  return r.error.code
}

describe('known answers (the bytes are pinned)', () => {
  test('the key id is the signed-note key id of custody-certificates: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0..4]', () => {
    expect(toHex(PUB)).toBe('0b513ad9b4924015ca0902ed079044d3ac5dbec2306f06948c10da8eb6e39f2d')
    const id = createHash('sha256')
      .update(Buffer.concat([Buffer.from('custody-certificates\n\x01'), PUB]))
      .digest('hex')
    expect(id.slice(0, 8)).toBe(KEY_ID)
  })

  test('a certificate encodes to the exact documented bytes and signs to the exact text (noble and native signers)', () => {
    expect(toHex(encodeCertificate(CERT))).toBe(CERT_BYTES)
    expect(signCertificate(CERT, KEY_ID, sign)).toBe(CERT_TEXT)
    expect(signCertificate(CERT, KEY_ID, ed25519.nativeSigner(PRIV))).toBe(CERT_TEXT)
  })

  test('a reissued certificate encodes with the replaced number and signs to the exact text', () => {
    expect(toHex(encodeCertificate(REISSUE))).toBe(REISSUE_BYTES)
    expect(signCertificate(REISSUE, KEY_ID, sign)).toBe(REISSUE_TEXT)
  })

  test('the signature is Ed25519 over "custody/certificate/v1" 0x00 ‖ key id (4 bytes) ‖ payload', () => {
    const [, keyId, payload, sig] = CERT_TEXT.split('.')
    expect(ed25519.verify(PUB, contextMessage(keyId!, fromB64url(payload!)), fromB64url(sig!))).toBe(true)
    expect(certificateKeyIdOf(CERT_TEXT)).toBe(KEY_ID)
    expect(certificateKeyIdOf('CT2.523809d8.x.y')).toBeNull()
  })

  test('the known texts verify under the ring, name the key and decode to their payloads', () => {
    expect(verifyCertificateRing(CERT_TEXT, RING)).toEqual({ ok: true, payload: CERT, payloadBytes: fromHex(CERT_BYTES), keyId: KEY_ID })
    expect(verifyCertificateRing(REISSUE_TEXT, RING)).toMatchObject({ ok: true, payload: REISSUE, keyId: KEY_ID })
    expect(decodeCertificate(fromHex(CERT_BYTES))).toEqual(CERT)
  })

  test('the payload carries only the 8 visible characters of the ID number: a full number is refused by the encoder', () => {
    // The encoder takes only the masked form: a full number is refused, so it can never reach the bytes.
    expect(() => encodeCertificate({ ...CERT, maskedId: '11010519491231002X' })).toThrow('"maskedId"')
    expect(CERT_BYTES).not.toContain(toHex(new TextEncoder().encode('*')))
    expect(CERT_BYTES.length / 2).toBeLessThan(140)
  })
})

describe('the QR: https://<host>/verify/<number>#<text>', () => {
  const QR = `https://custody.example.org/verify/S000050000001264000017#${CERT_TEXT}`

  test('certificateQr puts the signed number in the path and the text in the fragment; the scanner verifies it', () => {
    expect(certificateQr('https://custody.example.org', CERT_TEXT)).toBe(QR)
    expect(verifyCertificateQr(QR, RING)).toMatchObject({ ok: true, payload: CERT, keyId: KEY_ID })
    expect(verifyCertificateQr(CERT_TEXT, RING)).toMatchObject({ ok: true, payload: CERT })
    expect(certificateQr('http://192.168.1.20:8080', CERT_TEXT)).toBe(`http://192.168.1.20:8080/verify/S000050000001264000017#${CERT_TEXT}`)
    // 317 characters: a QR of version 13 at error correction M (69×69 modules), about 3.5 cm on A4.
    expect(QR.length).toBeLessThan(340)
  })

  test('a URL naming another number than the signed one is refused (certificate.number_mismatch)', () => {
    const moved = QR.replace('/verify/S000050000001264000017#', '/verify/S000050000001264000031#')
    expect(verifyCertificateQr(moved, RING)).toMatchObject({ ok: false, error: { code: 'certificate.number_mismatch' } })
    // The signature is checked first: a forged fragment stays a forgery whatever the path says.
    const [, keyId, , sig] = CERT_TEXT.split('.')
    const s = fromB64url(sig!)
    s[0]! ^= 1
    expect(verifyCertificateQr(moved.replace(sig!, b64url(s)), RING)).toMatchObject({ ok: false, error: { code: 'certificate.bad_signature', keyId } })
  })

  test('a QR that is neither the verify URL nor a CC1 text is malformed; bad origins throw', () => {
    for (const bad of [
      'https://custody.example.org/verify/S000050000001264000017',
      `https://custody.example.org/other/S000050000001264000017#${CERT_TEXT}`,
      `https://custody.example.org/verify/S000050000001264000017?x=1#${CERT_TEXT}`,
      `ftp://custody.example.org/verify/S000050000001264000017#${CERT_TEXT}`,
      `https://custody.example.org/verify/S000050000001264000017#${CERT_TEXT} `,
    ])
      expect(verifyCertificateQr(bad, RING), bad).toMatchObject({ ok: false, error: { code: 'certificate.malformed' } })
    expect(() => certificateQr('https://custody.example.org/', CERT_TEXT)).toThrow('"origin" expected scheme://host[:port]')
    expect(() => certificateQr('https://custody.example.org', 'CC1.x')).toThrow('certificate.malformed')
  })
})

describe('refusals', () => {
  test('every single flipped payload byte is refused (certificate.bad_signature, or unsupported_version for byte 0)', () => {
    const [, keyId, payload, sig] = CERT_TEXT.split('.')
    const bytes = fromB64url(payload!)
    for (let i = 0; i < bytes.length; i++) {
      const t = bytes.slice()
      t[i]! ^= 0x01
      expect(refusal(`CC1.${keyId}.${b64url(t)}.${sig}`), `byte ${i}`).toBe(i === 0 ? 'certificate.unsupported_version' : 'certificate.bad_signature')
    }
  })

  test('a level raised from 四级 to 三级 and re-signed by another key is refused (certificate.bad_signature)', () => {
    const forged = signCertificate({ ...CERT, number: 'S000050000001263000017', level: 3 }, KEY_ID, (m) => ed25519.sign(OTHER_PRIV, m))
    expect(refusal(forged)).toBe('certificate.bad_signature')
  })

  test('a signature moved to another key id fails, even when that id names the same key', () => {
    const [, , payload, sig] = CERT_TEXT.split('.')
    const moved = `CC1.0badc0de.${payload}.${sig}`
    expect(refusal(moved)).toBe('certificate.bad_signature')
    expect(refusal(moved, [{ keyId: '0badc0de', publicKey: PUB }])).toBe('certificate.bad_signature')
  })

  test("a signature moved from one certificate onto another's payload fails", () => {
    const [, , , sig] = CERT_TEXT.split('.')
    const [, , payload2] = REISSUE_TEXT.split('.')
    expect(refusal(`CC1.${KEY_ID}.${payload2}.${sig}`)).toBe('certificate.bad_signature')
  })

  test('a ticket signature over the same bytes is not a certificate signature (the contexts differ)', () => {
    const p = fromHex(CERT_BYTES)
    const ticketSig = ed25519.sign(PRIV, new Uint8Array(Buffer.concat([Buffer.from('custody/pass/v2\0'), Buffer.from(KEY_ID, 'hex'), p])))
    expect(refusal(`CC1.${KEY_ID}.${b64url(p)}.${b64url(ticketSig)}`)).toBe('certificate.bad_signature')
  })

  test('a key id the ring does not hold is certificate.unknown_key (with the id), not a forgery', () => {
    expect(verifyCertificateRing(CERT_TEXT, [OTHER])).toMatchObject({ ok: false, error: { code: 'certificate.unknown_key', keyId: KEY_ID } })
    expect(refusal(CERT_TEXT, [])).toBe('certificate.unknown_key')
    // The ring holds 523809d8 with another public key: the signature fails (forged).
    expect(refusal(CERT_TEXT, [{ keyId: KEY_ID, publicKey: OTHER.publicKey }])).toBe('certificate.bad_signature')
  })

  test('another text or payload version is refused as unsupported (certificate.unsupported_version)', () => {
    expect(refusal(CERT_TEXT.replace(/^CC1\./, 'CC2.'))).toBe('certificate.unsupported_version')
    expect(refusal(CERT_TEXT.replace(/^CC1\./, 'CC0.'))).toBe('certificate.unsupported_version')
    expect(refusal(signedRaw(`02${CERT_BYTES.slice(2)}`))).toBe('certificate.unsupported_version')
  })

  test('texts that are not certificates are refused as malformed (certificate.malformed)', () => {
    const [, keyId, payload, sig] = CERT_TEXT.split('.')
    for (const bad of [
      '',
      'hello',
      'CC1.',
      `CC1.${keyId}.`,
      `CC1.${keyId}..`,
      `CC1.${keyId}.${payload}`,
      `CC1.${payload}.${sig}`,
      `cc1.${keyId}.${payload}.${sig}`,
      `CC1.${keyId!.toUpperCase()}.${payload}.${sig}`,
      `CC1.${keyId}0.${payload}.${sig}`,
      `CC1.${keyId}.${payload}.${sig}.`,
      `CC1.${keyId}.${payload}=.${sig}`,
      `CC1.${keyId}.${payload}.${sig!.slice(0, -2)}`,
      `CC1.${keyId}.${payload}.${sig}A`,
      ` ${CERT_TEXT}`,
      `${CERT_TEXT}\n`,
      CERT_TEXT.replace(/^CC1\./, 'CT2.'),
    ])
      expect(refusal(bad), JSON.stringify(bad)).toBe('certificate.malformed')
    // Non-zero pad bits: a second spelling of the same signature bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const alt = alphabet[alphabet.indexOf(sig!.at(-1)!) ^ 1]
    expect(refusal(`CC1.${keyId}.${payload}.${sig!.slice(0, -1)}${alt}`)).toBe('certificate.malformed')
  })

  test('validly signed but non-canonical or self-contradicting payloads are refused as malformed, with the reason', () => {
    const reason = (hex: string) => {
      const r = verifyCertificateRing(signedRaw(hex), RING)
      if (r.ok) throw new Error('expected a refusal')
      expect(r.error.code).toBe('certificate.malformed')
      return r.error.reason
    }
    expect(reason(`${CERT_BYTES}00`)).toBe('trailing bytes')
    expect(reason(CERT_BYTES.slice(0, -2))).toBe('payload ends early')
    expect(reason(`0102${CERT_BYTES.slice(4)}`)).toBe('unknown type 0x2')
    // The number's level digit (position 16) and year digits (14–15) must agree with the fields.
    expect(reason(CERT_BYTES.replace('0407ea070f', '0307ea070f'))).toMatch(/position 16 is 4, the level is 3/)
    expect(reason(CERT_BYTES.replace('0407ea070f', '0407eb070f'))).toMatch(/positions 14–15 are 26, the year of issue is 2027/)
    expect(reason(CERT_BYTES.replace('0407ea070f', '0607ea070f'))).toBe('level 6')
    expect(reason(CERT_BYTES.replace('0407ea070f', '0407ea021e'))).toMatch(/issuedOn 2026-02-30/)
    // A lower-case letter in the number.
    expect(reason(CERT_BYTES.replace('0101533030', '0101733030'))).toMatch(/capital letter and 21 digits/)
    // One spelling per name: no surrounding space, NFC only (e + combining acute is not é).
    expect(reason(CERT_BYTES.replace('06e5bca0e4b889', '07e5bca0e4b88920'))).toBe('holderName has surrounding white space')
    expect(reason(CERT_BYTES.replace('06e5bca0e4b889', '0365cc81'))).toBe('holderName is not in Unicode NFC')
    expect(reason(CERT_BYTES.replace('06e5bca0e4b889', '00'))).toBe('holderName is empty')
    expect(reason(CERT_BYTES.replace('06e794b5e5b7a5', '02e794b5'))).toBe('occupationName is not UTF-8')
    expect(reason(CERT_BYTES.replace('3131303130303258', '3131303130303278'))).toMatch(/maskedId/) // a lower-case x
    expect(reason(`${CERT_BYTES.slice(0, -2)}02`)).toBe('replaces: flag 2')
    expect(reason(`${CERT_BYTES.slice(0, -2)}01${CERT_BYTES.slice(4, 48)}`)).toBe('replaces names the certificate itself')
  })

  test('bad arguments throw with the noble-style message; bad texts never throw', () => {
    expect(() => encodeCertificate({ ...CERT, level: 6 as 4 })).toThrow('"level" expected an integer 1..5, got 6')
    expect(() => encodeCertificate({ ...CERT, level: 3 })).toThrow('"number" position 16 is 4, the level is 3')
    expect(() => encodeCertificate({ ...CERT, issuedOn: '2027-01-02' })).toThrow('"number" positions 14–15 are 26, the year of issue is 2027')
    expect(() => encodeCertificate({ ...CERT, issuedOn: '2026-02-29' })).toThrow('"issuedOn" expected a real date')
    expect(() => encodeCertificate({ ...CERT, maskedId: '11010519491231002X' })).toThrow('"maskedId" expected 4 characters, 10')
    expect(() => encodeCertificate({ ...CERT, holderName: ' 张三' })).toThrow('"holderName" has surrounding white space')
    expect(() => encodeCertificate({ ...CERT, body: 'x'.repeat(255) })).toThrow('"body" expected at most 254 UTF-8 bytes, got 255')
    expect(() => encodeCertificate({ ...CERT, replaces: CERT.number })).toThrow('"replaces" names the certificate itself')
    expect(() => signCertificate(CERT, '523809D8', sign)).toThrow('"keyId" expected 8 lowercase hex digits')
    expect(() => signCertificate(CERT, KEY_ID, () => new Uint8Array(63))).toThrow('"signature" expected 64 bytes, got 63')
    expect(() => verifyCertificateRing(CERT_TEXT, [{ keyId: KEY_ID, publicKey: new Uint8Array(31) }])).toThrow('"publicKey" expected 32 bytes, got 31')
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `CC1.${KEY_ID}.${s}`),
          fc.string().map((s) => `https://h/verify/${s}#CC1.${KEY_ID}.${s}`),
          fc.uint8Array({ maxLength: 200 }).map((b) => `CC1.${KEY_ID}.${b64url(b)}.${b64url(b)}`),
          fc.uint8Array({ maxLength: 200 }).map((b) => signedRaw(`0101${toHex(b)}`)),
        ),
        (s) => {
          const r = verifyCertificateQr(s, RING)
          expect(r.ok).toBe(false)
          if (!r.ok)
            expect([
              'certificate.malformed',
              'certificate.bad_signature',
              'certificate.unsupported_version',
              'certificate.unknown_key',
              'certificate.number_mismatch',
            ]).toContain(r.error.code)
        },
      ),
      { numRuns: 400 },
    )
  })
})

describe('round trips (fast-check)', () => {
  const text = fc
    .string({ minLength: 1, maxLength: 40 })
    .map((s) => s.normalize('NFC').trim())
    .filter((s) => s.length > 0 && !/\p{Surrogate}|\p{Cc}/u.test(s) && s.normalize('NFC') === s && s.trim() === s)
  const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`))
  const payload: fc.Arbitrary<CertificatePayload> = fc
    .record({
      letter: fc.constantFrom('Y', 'S'),
      head: digits(12),
      tail: digits(6),
      level: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const, 5 as const),
      date: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
      holderName: text,
      maskedId: fc.tuple(digits(4), digits(3), fc.constantFrom('0', '5', 'X')).map(([a, b, c]) => `${a}${'*'.repeat(10)}${b}${c}`),
      occupationCode: text,
      occupationName: text,
      body: text,
      batchRef: text,
      replaces: fc.option(
        digits(21).map((d) => `Y${d}`),
        { nil: null },
      ),
    })
    .map((r) => {
      const issuedOn = r.date.toISOString().slice(0, 10)
      const number = `${r.letter}${r.head}${issuedOn.slice(2, 4)}${r.level}${r.tail}`
      const { letter: _l, head: _h, tail: _t, date: _d, ...rest } = r
      return { ...rest, number, issuedOn }
    })
    .filter((p) => p.replaces !== p.number)

  test('every payload encodes, decodes to itself, and its signed QR verifies to itself', () => {
    const signer = ed25519.nativeSigner(PRIV)
    fc.assert(
      fc.property(payload, (p) => {
        expect(decodeCertificate(encodeCertificate(p))).toEqual(p)
        const r = verifyCertificateQr(certificateQr('https://h.example', signCertificate(p, KEY_ID, signer)), RING)
        expect(r.ok && r.payload).toEqual(p)
      }),
      { numRuns: 300 },
    )
  })
})
