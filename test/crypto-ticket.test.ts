import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  type BadgePayload,
  type SignedPass,
  type TicketPayload,
  BADGE_DUTIES,
  decodeTicket,
  ed25519,
  encodeTicket,
  fromHex,
  signTicket,
  signTicketV2,
  ticketIdentity,
  ticketKeyIdOf,
  ticketMatchesIdentity,
  toHex,
  verifyTicket,
  verifyTicketRing,
} from '../crypto/index.ts'

// Fixed key: seed = 32 bytes of 0x07.
const PRIV = new Uint8Array(32).fill(7)
const PUB = ed25519.publicKey(PRIV)
const sign = (m: Uint8Array) => ed25519.sign(PRIV, m)

const IDENTITY = '34f2727d05f4c3fbd4b640f8430f6317'
const TICKET: TicketPayload = {
  type: 'ticket',
  number: '2026-A1B2C3-00017',
  candidateId: '0b7e3f52-8a1d-4c2e-9f00-1234567890ab',
  examSessionId: 'sess-theory',
  roomId: 'b1c2d3e4-0000-4000-8000-00000000a101',
  seat: 17,
  identity: fromHex(IDENTITY),
}
const TICKET_BYTES =
  '01' +
  '01' + // version 1, type ticket
  '11' +
  '323032362d4131423243332d3030303137' + // number: 17 bytes of text
  'ff' +
  '0b7e3f528a1d4c2e9f001234567890ab' + // candidateId: a UUID as 16 bytes
  '0b' +
  '736573732d7468656f7279' + // examSessionId: text "sess-theory"
  'ff' +
  'b1c2d3e400004000800000000000a101' + // roomId: a UUID
  '0011' + // seat 17, u16 big-endian
  IDENTITY
const TICKET_TEXT =
  'CT1.AQERMjAyNi1BMUIyQzMtMDAwMTf_C34_UoodTC6fABI0VniQqwtzZXNzLXRoZW9yef-xwtPkAABAAIAAAAAAAKEBABE08nJ9BfTD-9S2QPhDD2MX' +
  '.nlJNNIAJ0214wFWQLPkx_hRlhRHGR3j2Jd4Vy5hoixNE8tWLB56jxEaH_Xurc1EsJC0htpIrsCkRhQcv5_9mDQ'

const BADGE: BadgePayload = {
  type: 'badge',
  userId: 'u-invigilator',
  examSessionId: 'sess-theory',
  roomId: null,
  duty: 'supervisor',
  name: '孙伟',
  validUntil: Date.parse('2026-12-05T09:30:00Z'),
}
const BADGE_BYTES = '0102' + '0d752d696e766967696c61746f72' + '0b736573732d7468656f7279' + '00' + '03' + '06e5ad99e4bc9f' + '01a24589f9c0'
const BADGE_TEXT =
  'CT1.AQINdS1pbnZpZ2lsYXRvcgtzZXNzLXRoZW9yeQADBuWtmeS8nwGiRYn5wA' + '.8mX-OkqWZKxbc_9e_lrjrXgagiQy1HgKbggjT_Saql20pssO_H4UeIraItTW9iZUjYpZjVUb1gHP6t7NbUVnCQ'

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')
const fromB64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'))

describe('known answers (the bytes are pinned)', () => {
  test('the identity hash is the first 16 bytes of SHA-256 over the documented encoding', () => {
    const lp = (s: string) => {
      const b = Buffer.from(s, 'utf8')
      return Buffer.concat([Buffer.of(b.length >> 8, b.length & 255), b])
    }
    const msg = Buffer.concat([Buffer.from('custody/ticket-identity/v1\0'), lp('2026-A1B2C3-00017'), lp('张三'), lp('11010519491231002X')])
    const expected = createHash('sha256').update(msg).digest('hex').slice(0, 32)
    expect(expected).toBe(IDENTITY)
    // The ID number's check letter is upper-cased, the name trimmed: the same person, the same hash.
    expect(toHex(ticketIdentity('2026-A1B2C3-00017', ' 张三 ', '11010519491231002x'))).toBe(IDENTITY)
  })

  test('a ticket payload encodes to the exact documented bytes and signs to the exact text', () => {
    expect(toHex(encodeTicket(TICKET))).toBe(TICKET_BYTES)
    expect(signTicket(TICKET, sign)).toBe(TICKET_TEXT)
  })

  test('a badge payload encodes to the exact documented bytes and signs to the exact text', () => {
    expect(toHex(encodeTicket(BADGE))).toBe(BADGE_BYTES)
    expect(signTicket(BADGE, sign)).toBe(BADGE_TEXT)
  })

  test('the signature is Ed25519 over "custody/pass/v1" 0x00 || payload, and the native signer gives the same text', () => {
    const [, payload, sig] = TICKET_TEXT.split('.')
    const msg = Buffer.concat([Buffer.from('custody/pass/v1\0'), fromB64url(payload!)])
    expect(ed25519.verify(PUB, new Uint8Array(msg), fromB64url(sig!))).toBe(true)
    expect(signTicket(TICKET, ed25519.nativeSigner(PRIV))).toBe(TICKET_TEXT)
  })

  test('the known texts verify and decode to their payloads', () => {
    const t = verifyTicket(TICKET_TEXT, PUB)
    expect(t).toMatchObject({ ok: true, payload: { ...TICKET, identity: fromHex(IDENTITY) } })
    const b = verifyTicket(BADGE_TEXT, PUB)
    expect(b).toMatchObject({ ok: true, payload: BADGE })
  })
})

describe('refusals', () => {
  const refusal = (text: string, key = PUB) => {
    const r = verifyTicket(text, key)
    if (r.ok) throw new Error('expected a refusal')
    return r.error.code
  }

  test('every single flipped payload byte is caught (ticket.bad_signature, or unsupported_version for byte 0)', () => {
    const [, payload, sig] = TICKET_TEXT.split('.')
    const bytes = fromB64url(payload!)
    for (let i = 0; i < bytes.length; i++) {
      const t = bytes.slice()
      t[i]! ^= 0x01
      expect(refusal(`CT1.${b64url(t)}.${sig}`), `byte ${i}`).toBe(i === 0 ? 'ticket.unsupported_version' : 'ticket.bad_signature')
    }
  })

  test('a flipped signature byte is refused (ticket.bad_signature)', () => {
    const [, payload, sig] = TICKET_TEXT.split('.')
    for (const i of [0, 31, 32, 63]) {
      const s = fromB64url(sig!)
      s[i]! ^= 0x80
      expect(refusal(`CT1.${payload}.${b64url(s)}`)).toBe('ticket.bad_signature')
    }
  })

  test('a seat moved to another number, signed by another key, is refused (ticket.bad_signature)', () => {
    const other = new Uint8Array(32).fill(8)
    const forged = signTicket({ ...TICKET, seat: 1 }, (m) => ed25519.sign(other, m))
    expect(refusal(forged)).toBe('ticket.bad_signature')
    expect(verifyTicket(forged, ed25519.publicKey(other)).ok).toBe(true)
  })

  test('another format version is refused as unsupported (ticket.unsupported_version)', () => {
    expect(refusal(TICKET_TEXT.replace(/^CT1\./, 'CT3.'))).toBe('ticket.unsupported_version')
    expect(refusal(TICKET_TEXT.replace(/^CT1\./, 'CT0.'))).toBe('ticket.unsupported_version')
    // A CT1 text relabelled CT2 lacks the key id: not a CT2 text.
    expect(refusal(TICKET_TEXT.replace(/^CT1\./, 'CT2.'))).toBe('ticket.malformed')
  })

  test('texts that are not tickets are refused as malformed (ticket.malformed)', () => {
    const [, payload, sig] = TICKET_TEXT.split('.')
    for (const bad of [
      '',
      'hello',
      'CT1.',
      'CT1..',
      `CT1.${payload}`,
      `ct1.${payload}.${sig}`,
      `CT1.${payload}.${sig}.`,
      `CT1.${payload}=.${sig}`,
      `CT1.${payload}.${sig!.slice(0, -2)}`,
      ` ${TICKET_TEXT}`,
      `${TICKET_TEXT}\n`,
      `CT1.${payload!.replace(/.$/, '+')}.${sig}`,
      `CT1.${payload}.${sig}A`,
    ])
      expect(refusal(bad), JSON.stringify(bad)).toBe('ticket.malformed')
    // Non-zero pad bits: a second spelling of the same signature bytes.
    const last = sig!.at(-1)!
    const alt = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last) ^ 1
    expect(refusal(`CT1.${payload}.${sig!.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[alt]}`)).toBe('ticket.malformed')
  })

  test('validly signed but non-canonical payloads are refused as malformed', () => {
    const signed = (hex: string) => {
      const p = fromHex(hex)
      const s = ed25519.sign(PRIV, new Uint8Array(Buffer.concat([Buffer.from('custody/pass/v1\0'), p])))
      return `CT1.${b64url(p)}.${b64url(s)}`
    }
    expect(refusal(signed(TICKET_BYTES + '00'))).toBe('ticket.malformed') // trailing byte
    expect(refusal(signed(TICKET_BYTES.slice(0, -2)))).toBe('ticket.malformed') // short
    expect(refusal(signed('0103'))).toBe('ticket.malformed') // unknown type
    // A UUID spelled as text is a second encoding of the same id.
    const uuidAsText = TICKET_BYTES.replace('ff0b7e3f528a1d4c2e9f001234567890ab', '24' + toHex(new TextEncoder().encode(TICKET.candidateId)))
    expect(refusal(signed(uuidAsText))).toBe('ticket.malformed')
    expect(refusal(signed(TICKET_BYTES.replace('0011' + IDENTITY, '0000' + IDENTITY)))).toBe('ticket.malformed') // seat 0
    expect(refusal(signed(BADGE_BYTES.replace('000306', '000906')))).toBe('ticket.malformed') // unknown duty
  })

  test('bad arguments to encodeTicket throw with the noble-style message', () => {
    expect(() => encodeTicket({ ...TICKET, seat: 0 })).toThrow('"seat" expected an integer 1..65535, got 0')
    expect(() => encodeTicket({ ...TICKET, identity: new Uint8Array(15) })).toThrow('"identity" expected 16 bytes, got 15')
    expect(() => encodeTicket({ ...TICKET, number: '' })).toThrow('"number" must not be empty')
    expect(() => encodeTicket({ ...TICKET, roomId: 'x'.repeat(255) })).toThrow('"roomId" expected at most 254 UTF-8 bytes, got 255')
    expect(() => encodeTicket({ ...TICKET, number: '\ud800' })).toThrow('not well-formed')
    expect(() => signTicket(TICKET, () => new Uint8Array(63))).toThrow('"signature" expected 64 bytes, got 63')
  })
})

describe('identity', () => {
  test('a door with the right name and ID number accepts the holder; any other does not', () => {
    const t = { ...TICKET, identity: ticketIdentity(TICKET.number, '张三', '11010519491231002X') }
    expect(ticketMatchesIdentity(t, '张三', '11010519491231002x')).toBe(true)
    expect(ticketMatchesIdentity(t, '张三', '110105194912310029')).toBe(false)
    expect(ticketMatchesIdentity(t, '张四', '11010519491231002X')).toBe(false)
    // Bound to the ticket number: the same person's hash on another ticket differs.
    expect(toHex(ticketIdentity('2026-A1B2C3-00018', '张三', '11010519491231002X'))).not.toBe(toHex(t.identity))
  })
})

describe('round trips (fast-check)', () => {
  const id = fc.oneof(
    fc.uuid().map((u) => u.toLowerCase()),
    fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/\p{Surrogate}/u.test(s)),
  )
  const ticket: fc.Arbitrary<SignedPass> = fc.record({
    type: fc.constant('ticket' as const),
    number: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/\p{Surrogate}/u.test(s)),
    candidateId: id,
    examSessionId: id,
    roomId: id,
    seat: fc.integer({ min: 1, max: 65535 }),
    identity: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  })
  const badge: fc.Arbitrary<SignedPass> = fc.record({
    type: fc.constant('badge' as const),
    userId: id,
    examSessionId: id,
    roomId: fc.option(id, { nil: null }),
    duty: fc.constantFrom(...BADGE_DUTIES),
    name: fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/\p{Surrogate}/u.test(s)),
    validUntil: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  })

  test('every payload encodes, decodes to itself, and its signed text verifies to itself', () => {
    const signer = ed25519.nativeSigner(PRIV)
    fc.assert(
      fc.property(fc.oneof(ticket, badge), (p) => {
        expect(decodeTicket(encodeTicket(p))).toEqual(p)
        const r = verifyTicket(signTicket(p, signer), PUB)
        expect(r.ok && r.payload).toEqual(p)
      }),
      { numRuns: 300 },
    )
  })

  test('arbitrary texts never throw: they are refused with one of the three codes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `CT1.${s}`),
          fc.uint8Array({ maxLength: 200 }).map((b) => `CT1.${b64url(b)}.${b64url(b)}`),
        ),
        (s) => {
          const r = verifyTicket(s, PUB)
          expect(r.ok).toBe(false)
          if (!r.ok) expect(['ticket.malformed', 'ticket.bad_signature', 'ticket.unsupported_version']).toContain(r.error.code)
        },
      ),
      { numRuns: 500 },
    )
  })
})

// ---------- CT2: the key ring (the same seed 0x07 key, key id 5e1f09a7) ----------

const KEY_ID = '5e1f09a7'
const TICKET_TEXT_V2 =
  'CT2.5e1f09a7.AQERMjAyNi1BMUIyQzMtMDAwMTf_C34_UoodTC6fABI0VniQqwtzZXNzLXRoZW9yef-xwtPkAABAAIAAAAAAAKEBABE08nJ9BfTD-9S2QPhDD2MX' +
  '.wJCRW7Lkra_-uPa6QxOt_MgkXEY31DY-HFBJ4gQHsmxJ1jeUlAmUBwzvUNhTCln0zeuboWwNUUpkR6koqlPxAw'
const BADGE_TEXT_V2 =
  'CT2.5e1f09a7.AQINdS1pbnZpZ2lsYXRvcgtzZXNzLXRoZW9yeQADBuWtmeS8nwGiRYn5wA' +
  '.1fuIoEua20Vwsl6Fv9aaJbNEirotL1430uKo1zfXINVbCWeSbXaS-5gg8ISLP_SQXUr_UnlkrbgorC142nJwBA'
const OTHER_PRIV = new Uint8Array(32).fill(8)
const OTHER = { keyId: '0badc0de', publicKey: ed25519.publicKey(OTHER_PRIV) }
const RING = [OTHER, { keyId: KEY_ID, publicKey: PUB }]

describe('CT2 known answers (the bytes are pinned)', () => {
  test('a ticket and a badge sign to the exact CT2 texts; the payload bytes are those of CT1', () => {
    expect(signTicketV2(TICKET, KEY_ID, sign)).toBe(TICKET_TEXT_V2)
    expect(signTicketV2(BADGE, KEY_ID, sign)).toBe(BADGE_TEXT_V2)
    expect(signTicketV2(TICKET, KEY_ID, ed25519.nativeSigner(PRIV))).toBe(TICKET_TEXT_V2)
    expect(toHex(fromB64url(TICKET_TEXT_V2.split('.')[2]!))).toBe(TICKET_BYTES)
    expect(TICKET_TEXT_V2.split('.')[2]).toBe(TICKET_TEXT.split('.')[1])
  })

  test('the signature is Ed25519 over "custody/pass/v2" 0x00 || key id (4 bytes) || payload', () => {
    const [, keyId, payload, sig] = TICKET_TEXT_V2.split('.')
    const msg = Buffer.concat([Buffer.from('custody/pass/v2\0'), Buffer.from(keyId!, 'hex'), fromB64url(payload!)])
    expect(ed25519.verify(PUB, new Uint8Array(msg), fromB64url(sig!))).toBe(true)
  })

  test('the known texts verify under the ring and name the key; verifyTicket with the one key accepts them too', () => {
    expect(verifyTicketRing(TICKET_TEXT_V2, RING)).toMatchObject({ ok: true, version: 2, keyId: KEY_ID, payload: TICKET })
    expect(verifyTicketRing(BADGE_TEXT_V2, RING)).toMatchObject({ ok: true, version: 2, keyId: KEY_ID, payload: BADGE })
    expect(verifyTicket(TICKET_TEXT_V2, PUB)).toMatchObject({ ok: true, payload: TICKET })
    expect(ticketKeyIdOf(TICKET_TEXT_V2)).toBe(KEY_ID)
    expect(ticketKeyIdOf(TICKET_TEXT)).toBeNull()
  })

  test('CT1 (legacy) verifies under whichever ring key signed it', () => {
    expect(verifyTicketRing(TICKET_TEXT, RING)).toMatchObject({ ok: true, version: 1, keyId: KEY_ID, payload: TICKET })
    expect(verifyTicketRing(BADGE_TEXT, [{ keyId: KEY_ID, publicKey: PUB }])).toMatchObject({ ok: true, version: 1, keyId: KEY_ID })
  })
})

describe('CT2 refusals: an unknown key id is not a forgery', () => {
  const ringRefusal = (text: string, keys = RING) => {
    const r = verifyTicketRing(text, keys)
    if (r.ok) throw new Error('expected a refusal')
    return r.error.code
  }

  test('a key id the ring does not hold is ticket.unknown_key (with the id); a held key whose signature fails is ticket.bad_signature', () => {
    expect(verifyTicketRing(TICKET_TEXT_V2, [OTHER])).toMatchObject({ ok: false, error: { code: 'ticket.unknown_key', keyId: KEY_ID } })
    expect(ringRefusal(TICKET_TEXT_V2, [])).toBe('ticket.unknown_key')
    // The ring holds 5e1f09a7 but with another public key: the signature fails (forged).
    expect(ringRefusal(TICKET_TEXT_V2, [{ keyId: KEY_ID, publicKey: OTHER.publicKey }])).toBe('ticket.bad_signature')
    const [, keyId, payload, sig] = TICKET_TEXT_V2.split('.')
    const s = fromB64url(sig!)
    s[5]! ^= 1
    expect(ringRefusal(`CT2.${keyId}.${payload}.${b64url(s)}`)).toBe('ticket.bad_signature')
  })

  test('a signature moved to another key id fails, even when that id names the same key', () => {
    const [, , payload, sig] = TICKET_TEXT_V2.split('.')
    const moved = `CT2.0badc0de.${payload}.${sig}`
    expect(ringRefusal(moved)).toBe('ticket.bad_signature')
    expect(ringRefusal(moved, [{ keyId: '0badc0de', publicKey: PUB }])).toBe('ticket.bad_signature')
    expect(verifyTicket(moved, PUB).ok).toBe(false)
  })

  test('a CT1 signature is not a CT2 signature, nor the other way round (the contexts differ)', () => {
    const [, p1, s1] = TICKET_TEXT.split('.')
    expect(ringRefusal(`CT2.${KEY_ID}.${p1}.${s1}`)).toBe('ticket.bad_signature')
    const [, , p2, s2] = TICKET_TEXT_V2.split('.')
    expect(ringRefusal(`CT1.${p2}.${s2}`)).toBe('ticket.bad_signature')
  })

  test('a CT1 text no ring key verifies is ticket.bad_signature; with no key at all, ticket.unknown_key', () => {
    const forged = signTicket(TICKET, (m) => ed25519.sign(new Uint8Array(32).fill(9), m))
    expect(ringRefusal(forged)).toBe('ticket.bad_signature')
    expect(ringRefusal(TICKET_TEXT, [])).toBe('ticket.unknown_key')
  })

  test('malformed CT2 texts are ticket.malformed: key id not 8 lowercase hex, parts missing or extra', () => {
    const [, keyId, payload, sig] = TICKET_TEXT_V2.split('.')
    for (const bad of [
      `CT2.${keyId!.toUpperCase()}.${payload}.${sig}`,
      `CT2.${keyId!.slice(1)}.${payload}.${sig}`,
      `CT2.${keyId}0.${payload}.${sig}`,
      `CT2.${payload}.${sig}`,
      `CT2.${keyId}.${payload}`,
      `CT2.${keyId}.${payload}.${sig}.`,
      `CT2.${keyId}.${payload}.${sig}\n`,
    ])
      expect(ringRefusal(bad), JSON.stringify(bad)).toBe('ticket.malformed')
  })

  test('bad ring arguments throw noble-style; bad texts never do', () => {
    expect(() => signTicketV2(TICKET, '5E1F09A7', sign)).toThrow('"keyId" expected 8 lowercase hex digits')
    expect(() => verifyTicketRing(TICKET_TEXT_V2, [{ keyId: 'zz', publicKey: PUB }])).toThrow('"keyId" expected 8 lowercase hex digits')
    expect(() => verifyTicketRing(TICKET_TEXT_V2, [{ keyId: KEY_ID, publicKey: new Uint8Array(31) }])).toThrow('"publicKey" expected 32 bytes, got 31')
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `CT2.${KEY_ID}.${s}`),
          fc.uint8Array({ maxLength: 200 }).map((b) => `CT2.${KEY_ID}.${b64url(b)}.${b64url(b)}`),
        ),
        (s) => {
          const r = verifyTicketRing(s, RING)
          expect(r.ok).toBe(false)
          if (!r.ok) expect(['ticket.malformed', 'ticket.bad_signature', 'ticket.unsupported_version', 'ticket.unknown_key']).toContain(r.error.code)
        },
      ),
      { numRuns: 300 },
    )
  })
})
