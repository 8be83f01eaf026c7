// Canonical JSON for log entries: RFC 8785 (JCS) restricted to safe integers, which keeps number
// formatting trivial. Keys sorted by UTF-16 code units, no whitespace, strings escaped as
// JSON.stringify does (JCS §3.2.2.2), UTF-8. One value has exactly one encoding, so a hash of the
// bytes is a hash of the meaning.
import { utf8 } from '../crypto/index.ts'
import { CanonicalError } from './_errors.ts'

/** The values a log entry may hold: JSON without floats. */
export type Canonical = null | boolean | number | string | Canonical[] | { [k: string]: Canonical }

const MAX_DEPTH = 64 // log events are shallow; a limit turns a cyclic or hostile value into an error, not a stack overflow

const LONE_SURROGATE = /\p{Surrogate}/u // with the u flag, only unpaired surrogates match
/** True iff the string has no unpaired surrogate (so it has a UTF-8 encoding). */
export const wellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s)

// Thrown inside the writer; each enclosing level adds its key, so the path costs nothing unless an error occurs.
class Unsupported {
  constructor(
    readonly what: string,
    readonly path: Array<string | number> = [],
  ) {}
}

function at(key: string | number, value: unknown, depth: number): string {
  try {
    return write(value, depth + 1)
  } catch (err) {
    if (err instanceof Unsupported) err.path.unshift(key)
    throw err
  }
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false
  return true
}

function write(value: unknown, depth: number): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Unsupported(`number ${value} is not a safe integer`)
      return value === 0 ? '0' : String(value) // -0 is written as 0, as JSON.stringify and JCS do
    case 'string':
      if (!wellFormed(value)) throw new Unsupported('string with an unpaired surrogate')
      return JSON.stringify(value)
    case 'object': {
      if (depth >= MAX_DEPTH) throw new Unsupported(`nesting deeper than ${MAX_DEPTH}`)
      if (Array.isArray(value)) {
        let out = '['
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw new Unsupported('array hole', [i])
          out += (i > 0 ? ',' : '') + at(i, value[i], depth)
        }
        return `${out}]`
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) throw new Unsupported('object that is not a plain object')
      if (Object.getOwnPropertySymbols(value).length > 0) throw new Unsupported('symbol key')
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
      if (!isSorted(keys)) keys.sort() // default sort compares UTF-16 code units (JCS §3.2.3)
      let out = '{'
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!
        if (!wellFormed(key)) throw new Unsupported('key with an unpaired surrogate')
        const v = record[key]
        if (v === undefined) throw new Unsupported('undefined value', [key])
        out += `${i > 0 ? ',' : ''}${JSON.stringify(key)}:${at(key, v, depth)}`
      }
      return `${out}}`
    }
    default:
      throw new Unsupported(`${typeof value} value`)
  }
}

function encode(value: unknown): string {
  try {
    return write(value, 0)
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err
    throw new CanonicalError('canonical.unsupported', `${err.what} at /${err.path.join('/')}`)
  }
}

/** Canonical JSON text of a value; throws CanonicalError for floats, undefined, lone surrogates... `canonicalJson({b: 1, a: [true]}) === '{"a":[true],"b":1}'` */
export function canonicalJson(value: Canonical): string {
  return encode(value)
}

/** Canonical UTF-8 bytes of a value. `canonicalBytes({a: 1})` is the bytes of `{"a":1}` */
export function canonicalBytes(value: Canonical): Uint8Array {
  return utf8(encode(value))
}

// A single-pass validator that accepts exactly the canonical texts: no whitespace, keys strictly
// increasing, integers without sign/zero/exponent variants, strings escaped as JSON.stringify does
// (\" \\ \b \f \n \r \t, \u00xx in lowercase for other controls, everything else raw). It
// allocates nothing, and native JSON.parse then builds the value: together about twice as fast as
// JSON.parse plus a re-encode, which the tests use as the reference on random inputs.
let src = ''
let pos = 0
let members: Int32Array | undefined // when set, top-level object members are recorded here
let memberCount = 0
const NOT_CANONICAL = new Error('not canonical') // a sentinel: cheap to throw on hostile input, never shown

function reject(): never {
  throw NOT_CANONICAL
}

function scanValue(depth: number): void {
  const c = src.charCodeAt(pos)
  if (c === 0x22) scanString()
  else if (c === 0x7b) scanObject(depth)
  else if (c === 0x5b) scanArray(depth)
  else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) scanNumber()
  else if (src.startsWith('true', pos) || src.startsWith('null', pos)) pos += 4
  else if (src.startsWith('false', pos)) pos += 5
  else reject()
}

/** Compares two raw key texts (without escapes, raw code units are the key's code units). */
function keyOrder(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart)
  for (let i = 0; i < n; i++) {
    const d = src.charCodeAt(aStart + i) - src.charCodeAt(bStart + i)
    if (d !== 0) return d
  }
  return aEnd - aStart - (bEnd - bStart)
}

function scanObject(depth: number): void {
  if (depth >= MAX_DEPTH) reject()
  pos++
  if (src.charCodeAt(pos) === 0x7d) {
    pos++
    return
  }
  let prevStart = -1
  let prevEnd = -1
  let prevEscaped = false
  for (;;) {
    if (src.charCodeAt(pos) !== 0x22) reject()
    const start = pos
    const escaped = scanString()
    if (prevStart >= 0) {
      // Keys strictly increasing by UTF-16 code units (also rules out duplicates); escaped keys are rare, decode them.
      const order =
        prevEscaped || escaped
          ? (JSON.parse(src.slice(prevStart, prevEnd)) as string) < (JSON.parse(src.slice(start, pos)) as string)
            ? -1
            : 1
          : keyOrder(prevStart + 1, prevEnd - 1, start + 1, pos - 1)
      if (order >= 0) reject()
    }
    prevStart = start
    prevEnd = pos
    prevEscaped = escaped
    if (src.charCodeAt(pos++) !== 0x3a) reject()
    const valueStart = pos
    scanValue(depth + 1)
    if (depth === 0 && members) {
      const at = 4 * memberCount++
      if (at + 4 <= members.length) {
        members[at] = start
        members[at + 1] = prevEnd
        members[at + 2] = valueStart
        members[at + 3] = pos
      }
    }
    const c = src.charCodeAt(pos++)
    if (c === 0x7d) return
    if (c !== 0x2c) reject()
  }
}

function scanArray(depth: number): void {
  if (depth >= MAX_DEPTH) reject()
  pos++
  if (src.charCodeAt(pos) === 0x5d) {
    pos++
    return
  }
  for (;;) {
    scanValue(depth + 1)
    const c = src.charCodeAt(pos++)
    if (c === 0x5d) return
    if (c !== 0x2c) reject()
  }
}

function scanNumber(): void {
  const start = pos
  if (src.charCodeAt(pos) === 0x2d) pos++
  const first = src.charCodeAt(pos)
  if (first === 0x30) {
    pos++
    if (pos - start === 2) reject() // "-0"
  } else if (first >= 0x31 && first <= 0x39) {
    while (src.charCodeAt(pos) >= 0x30 && src.charCodeAt(pos) <= 0x39) pos++
  } else {
    reject()
  }
  // Up to 15 digits is always safe; longer ones are checked (a fraction or exponent fails at the next character).
  if (pos - start > 15 && !Number.isSafeInteger(Number(src.slice(start, pos)))) reject()
}

/** At an opening quote; leaves pos after the closing quote. Returns whether the string had escapes. */
function scanString(): boolean {
  // Locals, not the module's `src`/`pos`: this loop sees most of the characters, and module bindings
  // cost a check on every access in JavaScriptCore.
  const s = src
  let p = pos + 1
  let escaped = false
  for (;;) {
    const c = s.charCodeAt(p)
    if (c === 0x22) {
      pos = p + 1
      return escaped
    }
    if (c === 0x5c) {
      escaped = true
      const e = s.charCodeAt(p + 1)
      if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        p += 2
        continue
      }
      // \u00xx, lowercase, only for controls without a short form
      if (e !== 0x75 || s.charCodeAt(p + 2) !== 0x30 || s.charCodeAt(p + 3) !== 0x30) reject()
      const hi = s.charCodeAt(p + 4)
      const lo = s.charCodeAt(p + 5)
      const code = (hi - 0x30) * 16 + (lo >= 0x61 ? lo - 0x57 : lo - 0x30)
      if ((hi !== 0x30 && hi !== 0x31) || !((lo >= 0x30 && lo <= 0x39) || (lo >= 0x61 && lo <= 0x66))) reject()
      if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) reject()
      p += 6
      continue
    }
    if (!(c >= 0x20)) reject() // raw control characters, and NaN at the end of input
    if (c >= 0xd800 && c <= 0xdfff) {
      // only well-formed surrogate pairs
      const d = s.charCodeAt(p + 1)
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) reject()
      p++
    }
    p++
  }
}

/** True iff `text` is exactly the canonical encoding of some value. `isCanonicalJson('{"a":1}')` */
export function isCanonicalJson(text: string): boolean {
  src = text
  pos = 0
  try {
    scanValue(0)
    return pos === text.length
  } catch (err) {
    if (err !== NOT_CANONICAL) throw err
    return false
  } finally {
    src = ''
  }
}

/**
 * Validates that text[start, end) is one canonical JSON object, recording each top-level member
 * as [keyStart, keyEnd, valueStart, valueEnd) (key ranges include the quotes; positions index
 * `text`) in `out`, up to its capacity. Returns the member count, or -1 if the range is not a
 * canonical object. Lets hot paths check a record inside a larger line without slicing or
 * building it. `scanCanonicalObject('{"a":1}', 0, 7, ranges) === 1`
 */
export function scanCanonicalObject(text: string, start: number, end: number, out: Int32Array): number {
  if (text.charCodeAt(start) !== 0x7b) return -1
  src = text
  pos = start
  members = out
  memberCount = 0
  try {
    scanValue(0)
    return pos === end ? memberCount : -1 // a value running past `end` also fails here
  } catch (err) {
    if (err !== NOT_CANONICAL) throw err
    return -1
  } finally {
    src = ''
    members = undefined
  }
}

/**
 * Validates one canonical JSON value starting at text[start], as a member value `depth` levels down
 * (the depth limit counts from the outermost value). Returns the offset after it, or -1. Lets a caller
 * that knows the layout around a value (the log event's fixed fields) scan only the free-form part.
 * `scanCanonicalValueAt('{"a":{"b":1}}', 5, 1) === 12`
 */
export function scanCanonicalValueAt(text: string, start: number, depth: number): number {
  src = text
  pos = start
  members = undefined
  try {
    scanValue(depth)
    return pos
  } catch (err) {
    if (err !== NOT_CANONICAL) throw err
    return -1
  } finally {
    src = ''
  }
}

/**
 * Parses text that must be canonical JSON; throws CanonicalError ('canonical.not_json' or
 * 'canonical.not_canonical') otherwise. `parseCanonicalJson('{"a":1}')` → `{ a: 1 }`;
 * `parseCanonicalJson('{"a": 1}')` throws
 */
export function parseCanonicalJson(text: string): Canonical {
  if (isCanonicalJson(text)) return JSON.parse(text) as Canonical // canonical text is always valid JSON
  try {
    JSON.parse(text) // rare path: say whether it was JSON at all
  } catch {
    throw new CanonicalError('canonical.not_json', 'not JSON')
  }
  throw new CanonicalError('canonical.not_canonical', 'JSON is not in canonical form')
}
