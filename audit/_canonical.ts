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
const wellFormed: (s: string) => boolean =
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

// 'bad': not representable; 'unsorted': keys enumerate out of order (array-index keys such as "10"
// enumerate numerically), so JSON.stringify cannot be the judge and a full re-encode decides.
type Shape = 'ok' | 'unsorted' | 'bad'

function shape(value: unknown, depth: number): Shape {
  if (value === null) return 'ok'
  switch (typeof value) {
    case 'boolean':
      return 'ok'
    case 'number':
      return Number.isSafeInteger(value) ? 'ok' : 'bad'
    case 'string':
      return wellFormed(value) ? 'ok' : 'bad'
    case 'object': {
      if (depth >= MAX_DEPTH) return 'bad'
      let result: Shape = 'ok'
      if (Array.isArray(value)) {
        for (const v of value) {
          const s = shape(v, depth + 1)
          if (s === 'bad') return 'bad'
          if (s === 'unsorted') result = 'unsorted'
        }
        return result
      }
      let previous: string | undefined
      for (const key in value as Record<string, unknown>) {
        if (!wellFormed(key)) return 'bad'
        if (previous !== undefined && !(previous < key)) result = 'unsorted'
        previous = key
        const s = shape((value as Record<string, unknown>)[key], depth + 1)
        if (s === 'bad') return 'bad'
        if (s === 'unsorted') result = 'unsorted'
      }
      return result
    }
    default:
      return 'bad'
  }
}

/**
 * Parses text that must be canonical JSON; throws CanonicalError ('canonical.not_json' or
 * 'canonical.not_canonical') otherwise. Fast path: when keys enumerate sorted, native
 * JSON.stringify yields the canonical text, so no JS re-encoding is needed.
 * `parseCanonicalJson('{"a":1}')` → `{ a: 1 }`; `parseCanonicalJson('{"a": 1}')` throws
 */
export function parseCanonicalJson(text: string): Canonical {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new CanonicalError('canonical.not_json', 'not JSON')
  }
  const s = shape(value, 0)
  const again = s === 'ok' ? JSON.stringify(value) : s === 'unsorted' ? encode(value) : undefined
  if (again !== text) throw new CanonicalError('canonical.not_canonical', 'JSON is not in canonical form')
  return value as Canonical
}
