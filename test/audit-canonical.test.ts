import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { CanonicalError, canonicalBytes, canonicalJson, type Canonical } from '../audit/index.ts'
import { isCanonicalJson, parseCanonicalJson, scanCanonicalObject } from '../audit/_canonical.ts'
import { toHex } from '../crypto/index.ts'

/** The reference: text is canonical iff re-encoding what JSON.parse reads gives the text back. */
function referenceIsCanonical(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text) as Canonical) === text
  } catch {
    return false
  }
}

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
const interesting = fc.constantFrom('a', 'é', '😀', '\u2028', '\u007f', '\u0000', '\u001f', '\n', '"', '\\', '/', '\ud800', '\udc00', ' ')
const anyString = fc.oneof(fc.string(), fc.string({ unit: interesting }), fc.string({ unit: codeUnit, maxLength: 6 }))
const wellFormedString = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\u2028', '\u007f', '\u0000', '\u001f', '\n', '"', '\\', '/', 'z') }),
)

/** Canonical values: JSON without floats, with keys that sort interestingly. */
const canonicalValue: fc.Arbitrary<Canonical> = fc.letrec<{ value: Canonical }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: -1000, max: 1000 }),
    wellFormedString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(wellFormedString, fc.constantFrom('10', '9', '__proto__', 'a', 'é', '😀', '\uff5a')), tie('value'), { maxKeys: 5 }),
  ),
})).value

describe('canonical encoding (JCS subset, RFC 8785)', () => {
  test('sorts keys, drops whitespace, keeps array order (known answer)', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', -7], c: {} })).toBe('{"a":[true,null,"x",-7],"b":1,"c":{}}')
  })

  test('keys sort by UTF-16 code units, not code points: U+1F600 before U+FF5A', () => {
    const value = { '\uff5a': 1, '😀': 2, é: 3, z: 4, '10': 5, '9': 6 }
    const text = canonicalJson(value)
    expect(text).toBe('{"10":5,"9":6,"z":4,"é":3,"😀":2,"ｚ":1}')
    expect(toHex(canonicalBytes(value))).toBe('7b223130223a352c2239223a362c227a223a342c22c3a9223a332c22f09f9880223a322c22efbd9a223a317d')
  })

  test('strings are escaped exactly as JSON.stringify does (known answer)', () => {
    const s = '\u0000\b\t\n\f\r\u001f"\\/\u007f\u2028é'
    expect(canonicalJson(s)).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028é"')
    expect(toHex(canonicalBytes(s))).toBe('225c75303030305c625c745c6e5c665c725c75303031665c225c5c2f7fe280a8c3a922')
  })

  test('-0 is written as 0, as JSON.stringify and JCS do', () => {
    expect(canonicalJson(-0)).toBe('0')
    expect(canonicalJson([-0, 0])).toBe('[0,0]')
  })

  test('an own "__proto__" key is data, not a prototype', () => {
    const value = JSON.parse('{"__proto__":1,"a":2}') as Canonical
    expect(canonicalJson(value)).toBe('{"__proto__":1,"a":2}')
  })

  const unsupported: Array<[string, unknown]> = [
    ['a float', 1.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an unsafe integer', 2 ** 53],
    ['undefined', undefined],
    ['an undefined member', { a: undefined }],
    ['a lone high surrogate', 'a\ud800'],
    ['a lone low surrogate', '\udc00b'],
    ['a key with a lone surrogate', { '\ud800': 1 }],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
    ['a class instance', new (class Packet {})()],
    ['a function', () => 1],
    ['a symbol', Symbol('x')],
    ['a bigint', 1n],
    ['an array hole', [1, , 3]],
    ['a symbol key', { [Symbol('k')]: 1 }],
    ['nesting deeper than 64', JSON.parse('['.repeat(65) + ']'.repeat(65))],
  ]
  test.each(unsupported)('refuses %s (canonical.unsupported)', (_, value) => {
    expect(() => canonicalJson(value as Canonical)).toThrow(CanonicalError)
    try {
      canonicalJson(value as Canonical)
    } catch (err) {
      expect((err as CanonicalError).code).toBe('canonical.unsupported')
    }
  })

  test('the error names where the bad value is', () => {
    expect(() => canonicalJson({ data: { list: [1, 2.5] } })).toThrow('at /data/list/1')
  })

  test('bytes are the UTF-8 of the text', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        expect(new TextDecoder().decode(canonicalBytes(v))).toBe(canonicalJson(v))
      }),
    )
  })

  test('encoding is stable under key insertion order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        const text = canonicalJson(v)
        const reparsed = JSON.parse(text) as Canonical
        expect(canonicalJson(reparsed)).toBe(text)
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse()) as Canonical
          expect(canonicalJson(reversed)).toBe(text)
        }
      }),
    )
  })
})

describe('canonical decoding (the single-pass validator)', () => {
  test('accepts the encoding of every canonical value and parses it back', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        const text = canonicalJson(v)
        expect(isCanonicalJson(text)).toBe(true)
        expect(canonicalJson(parseCanonicalJson(text))).toBe(text)
      }),
    )
  })

  const nonCanonical: Array<[string, string]> = [
    ['whitespace', '{"a": 1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['numeric keys in numeric order', '{"9":1,"10":2}'],
    ['a duplicate key', '{"a":1,"a":1}'],
    ['a float', '1.0'],
    ['an exponent', '1e3'],
    ['a leading zero', '01'],
    ['negative zero', '-0'],
    ['a plus sign', '+1'],
    ['an unsafe integer', '9007199254740993'],
    ['an escaped slash', '"\\/"'],
    ['an escaped letter', '"\\u0061"'],
    ['uppercase hex in an escape', '"\\u001F"'],
    ['a long escape for a short one', '"\\u000a"'],
    ['an escaped surrogate pair', '"\\ud83d\\ude00"'],
    ['a raw control character', '"\u0001"'],
    ['a raw lone surrogate', '"\ud800"'],
    ['a byte order mark', '\ufeff{}'],
  ]
  test.each(nonCanonical)('refuses %s', (_, text) => {
    expect(isCanonicalJson(text)).toBe(false)
    expect(referenceIsCanonical(text)).toBe(false)
    expect(() => parseCanonicalJson(text)).toThrow(CanonicalError)
  })

  test('says whether refused text was JSON at all', () => {
    expect(() => parseCanonicalJson('{"a": 1}')).toThrow('canonical.not_canonical')
    expect(() => parseCanonicalJson('{"a":')).toThrow('canonical.not_json')
    expect(() => parseCanonicalJson('')).toThrow('canonical.not_json')
  })

  test('agrees with the reference on mutated canonical text', () => {
    const edit = fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace', 'swap'),
      ch: fc.constantFrom(' ', '\n', '"', '\\', 'u', '0', '1', '9', '-', '.', 'e', ',', ':', '{', '}', '[', ']', 'a', 'é', '\ud800', '\u0001', 'n', 't'),
    })
    fc.assert(
      fc.property(canonicalValue, fc.array(edit, { minLength: 1, maxLength: 3 }), (v, edits) => {
        let text = canonicalJson(v)
        for (const e of edits) {
          const i = text.length === 0 ? 0 : e.at % (text.length + 1)
          if (e.kind === 'insert') text = text.slice(0, i) + e.ch + text.slice(i)
          else if (e.kind === 'delete') text = text.slice(0, i) + text.slice(i + 1)
          else if (e.kind === 'replace') text = text.slice(0, i) + e.ch + text.slice(i + 1)
          else if (i + 1 < text.length) text = text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2)
        }
        expect(isCanonicalJson(text)).toBe(referenceIsCanonical(text))
      }),
      { numRuns: 3000 },
    )
  })

  test('agrees with the reference on re-serialized and random strings', () => {
    fc.assert(
      fc.property(canonicalValue, fc.constantFrom(0, 1, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent)
        expect(isCanonicalJson(text)).toBe(referenceIsCanonical(text))
      }),
    )
    fc.assert(
      fc.property(anyString, (s) => {
        const quoted = `"${s}"`
        expect(isCanonicalJson(quoted)).toBe(referenceIsCanonical(quoted))
        expect(isCanonicalJson(s)).toBe(referenceIsCanonical(s))
      }),
      { numRuns: 2000 },
    )
  })

  test('scanCanonicalObject reports each top-level member, also inside a longer line', () => {
    const text = canonicalJson({ b: [1, { c: 'x' }], a: 'é"', d: null })
    const line = `{"event":${text}}`
    const ranges = new Int32Array(12)
    const start = 9
    expect(scanCanonicalObject(line, start, start + text.length, ranges)).toBe(3)
    const members = [0, 1, 2].map((i) => [line.slice(ranges[4 * i]!, ranges[4 * i + 1]!), line.slice(ranges[4 * i + 2]!, ranges[4 * i + 3]!)])
    expect(members).toEqual([
      ['"a"', '"é\\""'],
      ['"b"', '[1,{"c":"x"}]'],
      ['"d"', 'null'],
    ])
    expect(scanCanonicalObject(line, start, line.length, ranges)).toBe(-1) // the range must end where the object does
    expect(scanCanonicalObject('[1]', 0, 3, ranges)).toBe(-1) // only objects
  })
})
