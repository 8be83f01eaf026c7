import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  CanonicalError,
  EventError,
  GENESIS_PREV,
  canonicalJson,
  checkEvent,
  decodeEvent,
  encodeEvent,
  eventHeadOf,
  leafHash,
  type Canonical,
  type LogEvent,
} from '../audit/index.ts'
import { scanEventAt, scanEventGeneral, scanEventLayout, type EventHead } from '../audit/_event.ts'
import { toHex, utf8 } from '../crypto/index.ts'

const EVENT: LogEvent = {
  v: 1,
  index: 41,
  prev: 'a5'.repeat(32),
  time: '2026-11-25T04:00:00.000Z',
  actor: { user: 'u_0007', name: '张伟', roles: ['custodian', 'examiner'] },
  action: 'custody.packet.sealed',
  outcome: 'ok',
  subject: { type: 'packet', id: 'PKT-2026-0001' },
  where: { site: 'SZ-01', room: '第3考场' },
  data: { seal: 'S-000123', count: 30, note: 'line1\nline2 "quoted"', witness: null },
}

// Pinned: the exact bytes of a log entry and its leaf hash (STYLE: bytes that matter are pinned).
const EVENT_TEXT =
  '{"action":"custody.packet.sealed","actor":{"name":"张伟","roles":["custodian","examiner"],"user":"u_0007"},' +
  '"data":{"count":30,"note":"line1\\nline2 \\"quoted\\"","seal":"S-000123","witness":null},"index":41,"outcome":"ok",' +
  '"prev":"a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5","subject":{"id":"PKT-2026-0001","type":"packet"},' +
  '"time":"2026-11-25T04:00:00.000Z","v":1,"where":{"room":"第3考场","site":"SZ-01"}}'
const EVENT_HEX =
  '7b22616374696f6e223a22637573746f64792e7061636b65742e7365616c6564222c226163746f72223a7b226e616d65223a22e5bca0e4bc9f222c22726f6c6573223a5b22637573746f6469616e222c226578616d696e6572225d2c2275736572223a22755f30303037227d2c2264617461223a7b22636f756e74223a33302c226e6f7465223a226c696e65315c6e6c696e6532205c2271756f7465645c22222c227365616c223a22532d303030313233222c227769746e657373223a6e756c6c7d2c22696e646578223a34312c226f7574636f6d65223a226f6b222c2270726576223a2261356135613561356135613561356135613561356135613561356135613561356135613561356135613561356135613561356135613561356135613561356135222c227375626a656374223a7b226964223a22504b542d323032362d30303031222c2274797065223a227061636b6574227d2c2274696d65223a22323032362d31312d32355430343a30303a30302e3030305a222c2276223a312c227768657265223a7b22726f6f6d223a22e7acac33e88083e59cba222c2273697465223a22535a2d3031227d7d'
const EVENT_LEAF = 'a9182afd73b3048c355fa9ac47808b74d47c628ed77753f2e4ad433d8ae668f5'

function errorCode(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof EventError || err instanceof CanonicalError) return err.code
    throw err
  }
  return 'ok'
}

const withField = (key: string, value: unknown): LogEvent => ({ ...EVENT, [key]: value }) as LogEvent

describe('event bytes (known answer)', () => {
  test('a fixed event encodes to exactly these canonical bytes and this leaf hash', () => {
    const bytes = encodeEvent(EVENT)
    expect(new TextDecoder().decode(bytes)).toBe(EVENT_TEXT)
    expect(toHex(bytes)).toBe(EVENT_HEX)
    expect(toHex(leafHash(bytes))).toBe(EVENT_LEAF)
  })
  test('decoding gives the event back, and re-encoding the same bytes', () => {
    const bytes = encodeEvent(EVENT)
    expect(decodeEvent(bytes)).toEqual(EVENT)
    expect(toHex(encodeEvent(decodeEvent(bytes)))).toBe(EVENT_HEX)
  })
  test('the first entry links to 64 zeros', () => {
    expect(GENESIS_PREV).toBe('0'.repeat(64))
    expect(decodeEvent(encodeEvent({ ...EVENT, index: 0, prev: GENESIS_PREV })).prev).toBe(GENESIS_PREV)
  })
})

describe('decoding is strict: the same meaning in other bytes is refused', () => {
  test.each([
    ['added whitespace', EVENT_TEXT.replace('"v":1', '"v": 1'), 'event.not_canonical'],
    [
      'reordered keys',
      EVENT_TEXT.replace('"action":"custody.packet.sealed","actor"', '"actor"').replace(',"data"', ',"action":"custody.packet.sealed","data"'),
      'event.not_canonical',
    ],
    ['an escaped letter', EVENT_TEXT.replace('S-000123', 'S-\\u0030000123'), 'event.not_canonical'],
    ['a trailing newline', `${EVENT_TEXT}\n`, 'event.not_canonical'],
    ['a byte order mark', `\ufeff${EVENT_TEXT}`, 'event.malformed'],
    ['not JSON', EVENT_TEXT.slice(0, -1), 'event.malformed'],
  ])('%s (%s)', (_, text, code) => {
    expect(errorCode(() => decodeEvent(utf8(text)))).toBe(code)
  })
  test('invalid UTF-8 is refused (event.malformed)', () => {
    const bytes = encodeEvent(EVENT).slice()
    bytes[bytes.length - 5] = 0xff
    expect(errorCode(() => decodeEvent(bytes))).toBe('event.malformed')
  })
})

describe('event shape (event.malformed)', () => {
  const bad: Array<[string, string, unknown]> = [
    ['v is not 1', 'v', 2],
    ['a negative index', 'index', -1],
    ['an index as a string', 'index', '41'],
    ['prev in uppercase', 'prev', 'A5'.repeat(32)],
    ['prev of 63 digits', 'prev', 'a'.repeat(63)],
    ['time without milliseconds', 'time', '2026-11-25T04:00:00Z'],
    ['time with an offset', 'time', '2026-11-25T12:00:00.000+08:00'],
    ['a day that does not exist', 'time', '2026-02-29T00:00:00.000Z'],
    ['hour 24', 'time', '2026-11-25T24:00:00.000Z'],
    ['a leap second', 'time', '2026-12-31T23:59:60.000Z'],
    ['a space for the T', 'time', '2026-11-25 04:00:00.000Z'],
    ['an actor with both forms', 'actor', { system: 'x', user: 'u' }],
    ['an actor with an empty system', 'actor', { system: '' }],
    ['an actor without roles', 'actor', { user: 'u', name: 'n' }],
    ['an actor with a non-string role', 'actor', { user: 'u', name: 'n', roles: [1] }],
    ['an actor with an extra field', 'actor', { user: 'u', name: 'n', roles: [], phone: '1' }],
    ['a capitalised action', 'action', 'User.created'],
    ['an action without a dot', 'action', 'created'],
    ['an action with an empty word', 'action', 'user..created'],
    ['an unknown outcome', 'outcome', 'maybe'],
    ['a subject without id', 'subject', { type: 'packet' }],
    ['an empty where', 'where', {}],
    ['a where with another field', 'where', { floor: '2' }],
    ['data as an array', 'data', []],
    ['data as null', 'data', null],
  ]
  test.each(bad)('%s', (_, key, value) => {
    const e = withField(key, value)
    expect(errorCode(() => encodeEvent(e))).toBe('event.malformed')
    expect(errorCode(() => decodeEvent(utf8(canonicalJson(e as unknown as Canonical))))).toBe('event.malformed')
  })
  test('an extra or a missing top-level field', () => {
    expect(errorCode(() => encodeEvent({ ...EVENT, extra: 1 } as LogEvent))).toBe('event.malformed')
    const { where: _, ...missing } = EVENT
    expect(errorCode(() => encodeEvent(missing as LogEvent))).toBe('event.malformed')
  })
  test('a fractional index is refused on both sides (it has no canonical form)', () => {
    expect(errorCode(() => encodeEvent(withField('index', 1.5)))).toBe('event.malformed')
    expect(errorCode(() => decodeEvent(utf8(EVENT_TEXT.replace('"index":41', '"index":41.5'))))).toBe('event.not_canonical')
  })
  test('a float in data has no canonical encoding (canonical.unsupported)', () => {
    expect(errorCode(() => encodeEvent({ ...EVENT, data: { score: 59.5 } }))).toBe('canonical.unsupported')
  })
  test('valid variants: a system actor, no subject or place, a leap day, empty roles', () => {
    const e: LogEvent = { ...EVENT, actor: { system: 'custody-server' }, subject: null, where: null, time: '2028-02-29T23:59:59.999Z' }
    expect(decodeEvent(encodeEvent(e))).toEqual(e)
    const f: LogEvent = { ...EVENT, actor: { user: 'u', name: 'n', roles: [] }, where: { room: 'R1' } }
    expect(decodeEvent(encodeEvent(f))).toEqual(f)
  })
})

describe("the verifier's in-place event check agrees with checkEvent", () => {
  const pool: Record<string, unknown[]> = {
    v: [1, 2, 0, '1', null],
    index: [0, 41, Number.MAX_SAFE_INTEGER, -1, '41', null, [1]],
    prev: [GENESIS_PREV, 'a5'.repeat(32), 'A5'.repeat(32), 'a5'.repeat(31), 'g'.repeat(64), '', 5],
    time: [
      '2026-11-25T04:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2000-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '2026-11-25T04:00:00Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-01T00:00:00.000Z',
      '2026-11-00T00:00:00.000Z',
      '2026-11-25T04:60:00.000Z',
      '2026-11-25T04:00:00.000z',
      '0000-01-01T00:00:00.000Z',
      '2026-11-25T04:00:00.0000Z',
      '+2026-11-25T04:00:00.000Z',
      5,
    ],
    actor: [
      { system: 'custody-server' },
      { system: '' },
      { system: 'x', user: 'u' },
      { user: 'u', name: 'n', roles: [] },
      { user: 'u', name: 'n', roles: ['a', 'b'] },
      { user: 'u', name: 'n', roles: [''] },
      { user: 'u', name: '', roles: [] },
      { user: 'u', name: 'n' },
      { user: 'u', name: 'n', roles: [1] },
      { user: 'u', name: 'n', roles: 'a' },
      { user: 'u', name: 'n', roles: [], x: 1 },
      { user: 'u"q', name: 'é\n\u0001', roles: ['\\', '"'] },
      null,
      'u',
      [],
      { user: '', name: 'n', roles: [] },
      { user: 'u', name: 'n', roles: ['a', '', 'b'] },
      { user: 'u', name: 'n', roles: ['a', 'b', 'c', 'd'] },
      { user: 'u', name: 'n', roles: ['],"user":"x'] },
      { user: 'u', name: 'n', roles: [null] },
      { user: 'u', name: 'n', roles: [['a']] },
      { system: 'a', x: 'b' },
      { system: 5 },
      { system: '\\' },
      { name: 'n', roles: [] },
      { user: 'u', roles: [] },
    ],
    action: [
      'user.created',
      'custody.packet.sealed',
      'log.key_rotated',
      'a.b_c.d9',
      'a.b',
      'a_.b_',
      'User.created',
      'created',
      'user.',
      '.user',
      'user..created',
      'user.9x',
      'user.created ',
      'a.b.',
      '1a.b',
      'a.B',
      'a-b.c',
      'a.b\n',
      'é.a',
      '',
      5,
    ],
    outcome: ['ok', 'refused', 'OK', '', null],
    subject: [
      null,
      { type: 'packet', id: 'p1' },
      { type: '', id: 'p1' },
      { type: 'p', id: '' },
      { type: 'packet' },
      { id: 'p' },
      { type: 'p', id: '1', x: '1' },
      { type: 'p', id: 1 },
      { type: 'p"\\', id: '}' },
      { type: null, id: 'p' },
      {},
      [],
      'p',
      'null',
    ],
    where: [
      null,
      { site: 's' },
      { room: 'r' },
      { site: 's', room: 'r' },
      {},
      { floor: '1' },
      { site: '' },
      { room: '' },
      { room: 'r', site: '' },
      { room: '', site: 's' },
      { site: 's', room: 'r', x: '1' },
      { room: 5 },
      { room: ',"site":"x"' },
      { room: 'r', site: null },
      [],
      'null',
    ],
    data: [{}, { a: 1 }, { nested: { deep: [1, 'x', null] } }, { '}': '{' }, [], null, 'x', 5],
  }
  const keys = Object.keys(pool)
  const mutation = fc.record({
    fields: fc.array(fc.tuple(fc.constantFrom(...keys), fc.nat()), { maxLength: 3 }),
    drop: fc.option(fc.constantFrom(...keys), { freq: 8 }),
    extra: fc.option(fc.constantFrom('zz', 'aa', 'index2'), { freq: 8 }),
  })

  test('on random valid and invalid events, in a longer line', () => {
    fc.assert(
      fc.property(mutation, ({ fields, drop, extra }) => {
        const e: Record<string, unknown> = { ...EVENT }
        for (const [k, i] of fields) e[k] = pool[k]![i % pool[k]!.length]
        if (drop) delete e[drop]
        if (extra) e[extra] = 1
        const text = canonicalJson(e as Canonical)
        const expected = errorCode(() => checkEvent(JSON.parse(text)))
        const line = `{"index":0,"bytes":"","event":${text}}`
        const head: EventHead = { index: -1, prevAt: 0, actionAt: 0, actionEnd: 0 }
        const start = line.indexOf('"event":') + 8
        const got = errorCode(() => scanEventAt(line, start, line.length - 1, head))
        expect(got).toBe(expected)
        if (got === 'ok') {
          expect(head.index).toBe(e.index)
          expect(line.slice(head.prevAt, head.prevAt + 64)).toBe(e.prev)
          expect(line.slice(head.actionAt, head.actionEnd)).toBe(e.action)
        }
      }),
      { numRuns: 6000 },
    )
  })
})

describe("the event scan's fast path accepts only what the general path accepts, with the same head", () => {
  const fresh = (): EventHead => ({ index: -1, prevAt: -1, actionAt: -1, actionEnd: -1 })
  const general = (text: string, head: EventHead): string => errorCode(() => scanEventGeneral(text, 0, text.length, head))
  const variants: Array<Partial<LogEvent>> = [
    {},
    { actor: { system: 'kiosk-R-1' } },
    { actor: { user: 'u', name: '张三', roles: [] } },
    { actor: { user: 'u"q', name: 'é\\', roles: ['a', 'b\n'] } },
    { subject: null },
    { where: null },
    { where: { site: 's' } },
    { where: { room: 'r' } },
    { where: { room: 'r', site: 's' } },
    { outcome: 'refused' },
    { index: 0 },
    { index: 123_456_789_012_345 },
    { data: { nested: { deep: [1, 'x', null, true] }, '}': '{' } },
    { time: '2024-02-29T23:59:59.999Z' },
    { action: 'log.key_rotated' },
    { subject: { type: 'packet', id: '𠀋' } },
    { data: { a: 1, b: 'x', c: true, d: null, e: -5, f: '', g: false, 'h.i-j_K': 0, z9: 123_456_789_012_345 } },
    { data: { seat: 25 } },
    { data: {} },
    { data: { A: 'Z', a: 'z', ab: '', b: '\n"' } },
  ]

  test("every valid event in encodeEvent's layout takes the fast path", () => {
    for (const v of variants) {
      const text = canonicalJson({ ...EVENT, ...v } as unknown as Canonical)
      const fast = fresh(),
        slow = fresh()
      expect(scanEventLayout(text, 0, text.length, fast), text).toBe(true)
      expect(general(text, slow)).toBe('ok')
      expect(fast).toEqual(slow)
    }
  })

  test('property: any text the fast path accepts, the general path accepts too, with the same head', () => {
    const bases = variants.map((v) => canonicalJson({ ...EVENT, ...v } as unknown as Canonical))
    const alphabet = [
      '"',
      '\\',
      'u',
      '0',
      '1',
      '9',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      ' ',
      'a',
      'b',
      'n',
      'e',
      'A',
      '\u0001',
      '\n',
      'é',
      '\ud800',
      '\udc00',
      '-',
      '.',
      'null',
      '"x"',
      '\\u0041',
      '\\n',
      '\\/',
      'true',
      '"a":1,',
      '"z":2,',
      '00',
      '-0',
    ]
    const edit = fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...alphabet))
    let accepted = 0
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (b, edits) => {
        let text = bases[b]!
        for (const [at, kind, s] of edits) {
          const i = at % (text.length + 1)
          text =
            kind === 'insert'
              ? text.slice(0, i) + s + text.slice(i)
              : kind === 'delete'
                ? text.slice(0, i) + text.slice(i + 1)
                : text.slice(0, i) + s + text.slice(i + 1)
        }
        const fast = fresh()
        if (!scanEventLayout(text, 0, text.length, fast)) return
        accepted++
        const slow = fresh()
        expect(general(text, slow), text).toBe('ok')
        expect(fast).toEqual(slow)
      }),
      { numRuns: 20000 },
    )
    expect(accepted).toBeGreaterThan(100) // edits inside strings keep many texts valid: the implication is exercised
  })
})

describe('eventHeadOf (the start-up check) agrees with decodeEvent', () => {
  test('on events and on their bytes changed one byte at a time', () => {
    const bytes = encodeEvent(EVENT)
    expect(eventHeadOf(bytes)).toEqual({ index: EVENT.index, prev: EVENT.prev })
    for (let at = 0; at < bytes.length; at++) {
      for (const value of [0x00, 0x20, 0x22, 0x30, 0x5c, 0x61, 0x7b, 0x7d, 0xc3, 0xff]) {
        const changed = Uint8Array.from(bytes)
        changed[at] = value
        const want = errorCode(() => decodeEvent(changed))
        expect(
          errorCode(() => eventHeadOf(changed)),
          `${at}: ${value}`,
        ).toBe(want)
        if (want === 'ok') expect(eventHeadOf(changed)).toEqual({ index: decodeEvent(changed).index, prev: decodeEvent(changed).prev })
      }
    }
  })
})
