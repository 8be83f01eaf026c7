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

function unsupported(path: string, what: string): never {
  throw new CanonicalError('canonical.unsupported', `${what} at ${path || '/'}`)
}

function write(value: unknown, path: string, depth: number): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isSafeInteger(value)) unsupported(path, `number ${value} is not a safe integer`)
      return value === 0 ? '0' : String(value) // -0 is written as 0, as JSON.stringify and JCS do
    case 'string':
      if (!wellFormed(value)) unsupported(path, 'string with an unpaired surrogate')
      return JSON.stringify(value)
    case 'object': {
      if (depth >= MAX_DEPTH) unsupported(path, `nesting deeper than ${MAX_DEPTH}`)
      if (Array.isArray(value)) {
        const parts: string[] = []
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) unsupported(`${path}/${i}`, 'array hole')
          parts.push(write(value[i], `${path}/${i}`, depth + 1))
        }
        return `[${parts.join(',')}]`
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) unsupported(path, 'object that is not a plain object')
      if (Object.getOwnPropertySymbols(value).length > 0) unsupported(path, 'symbol key')
      const record = value as Record<string, unknown>
      const keys = Object.keys(record).sort() // default sort compares UTF-16 code units (JCS §3.2.3)
      const parts: string[] = []
      for (const key of keys) {
        if (!wellFormed(key)) unsupported(path, 'key with an unpaired surrogate')
        const v = record[key]
        if (v === undefined) unsupported(`${path}/${key}`, 'undefined value')
        parts.push(`${JSON.stringify(key)}:${write(v, `${path}/${key}`, depth + 1)}`)
      }
      return `{${parts.join(',')}}`
    }
    default:
      return unsupported(path, `${typeof value} value`)
  }
}

/** Canonical JSON text of a value; throws CanonicalError for floats, undefined, lone surrogates... `canonicalJson({b: 1, a: [true]}) === '{"a":[true],"b":1}'` */
export function canonicalJson(value: Canonical): string {
  return write(value, '', 0)
}

/** Canonical UTF-8 bytes of a value. `canonicalBytes({a: 1})` is the bytes of `{"a":1}` */
export function canonicalBytes(value: Canonical): Uint8Array {
  return utf8(write(value, '', 0))
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
  const again = s === 'ok' ? JSON.stringify(value) : s === 'unsorted' ? write(value, '', 0) : undefined
  if (again !== text) throw new CanonicalError('canonical.not_canonical', 'JSON is not in canonical form')
  return value as Canonical
}
