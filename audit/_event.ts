// The custody log entry. Its canonical bytes are what the log hashes, chains and signs; the chain
// link `prev` is the RFC 9162 leaf hash of the previous entry, so one SHA-256 per entry serves both
// the hash chain and the Merkle tree.
import { canonicalBytes, parseCanonicalJson, scanCanonicalObject, scanCanonicalValueAt, type Canonical } from './_canonical.ts'
import { CanonicalError, EventError } from './_errors.ts'

export type Actor = { user: string; name: string; roles: string[] } | { system: string }

export interface LogEvent {
  v: 1
  /** 0-based position in the log. */
  index: number
  /** Hex leaf hash of the previous entry's bytes; GENESIS_PREV for index 0. */
  prev: string
  /** Server time, ISO 8601 UTC with milliseconds: 2026-11-25T04:00:00.000Z */
  time: string
  actor: Actor
  /** Dotted lowercase words: 'user.created', 'custody.packet.sealed', 'log.key_rotated'. */
  action: string
  outcome: 'ok' | 'refused'
  subject: { type: string; id: string } | null
  where: { site?: string; room?: string } | null
  /** No personal data: candidates by id and salted hash. */
  data: { [k: string]: Canonical }
}

/** `prev` of the first entry: 64 zeros. */
export const GENESIS_PREV = '0'.repeat(64)

const KEYS = ['action', 'actor', 'data', 'index', 'outcome', 'prev', 'subject', 'time', 'v', 'where']
const ACTION = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/
const PREV = /^[0-9a-f]{64}$/

function digits(t: string, at: number, n: number): number {
  let v = 0
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(at + i) - 0x30
    if (!(d >= 0 && d <= 9)) return -1
    v = v * 10 + d
  }
  return v
}

/**
 * True iff t[at, at+24) is a time in exactly the form Date.prototype.toISOString writes,
 * YYYY-MM-DDTHH:MM:SS.mmmZ, for a date that exists (no 2026-02-30, no leap seconds).
 */
function validTimeAt(t: string, at: number): boolean {
  const year = digits(t, at, 4)
  const month = digits(t, at + 5, 2)
  const day = digits(t, at + 8, 2)
  const seps = t.charCodeAt(at + 4) === 0x2d && t.charCodeAt(at + 7) === 0x2d && t.charCodeAt(at + 10) === 0x54
  const clock = t.charCodeAt(at + 13) === 0x3a && t.charCodeAt(at + 16) === 0x3a && t.charCodeAt(at + 19) === 0x2e && t.charCodeAt(at + 23) === 0x5a
  if (!seps || !clock || year < 0 || digits(t, at + 20, 3) < 0) return false
  const hour = digits(t, at + 11, 2)
  const minute = digits(t, at + 14, 2)
  const second = digits(t, at + 17, 2)
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
}

function bad(why: string): never {
  throw new EventError('event.malformed', why)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function exactKeys(v: Record<string, unknown>, keys: readonly string[], what: string): void {
  const own = Object.keys(v)
  if (own.length !== keys.length || !keys.every((k) => Object.hasOwn(v, k))) bad(`${what} must have exactly the fields ${keys.join(', ')}`)
}

function text(v: unknown, what: string): void {
  if (typeof v !== 'string' || v.length === 0) bad(`${what} must be a non-empty string`)
}

/** Throws EventError('event.malformed') unless `e` has exactly the LogEvent shape. */
export function checkEvent(e: unknown): asserts e is LogEvent {
  if (!isRecord(e)) bad('event must be an object')
  exactKeys(e, KEYS, 'event')
  if (e.v !== 1) bad('v must be 1')
  if (!Number.isSafeInteger(e.index) || (e.index as number) < 0) bad('index must be a non-negative safe integer')
  if (typeof e.prev !== 'string' || !PREV.test(e.prev)) bad('prev must be 64 lowercase hex digits')
  if (typeof e.time !== 'string' || e.time.length !== 24 || !validTimeAt(e.time, 0))
    bad('time must be ISO 8601 UTC with milliseconds, e.g. 2026-11-25T04:00:00.000Z')
  const actor = e.actor
  if (!isRecord(actor)) bad('actor must be an object')
  if (Object.hasOwn(actor, 'system')) {
    exactKeys(actor, ['system'], 'actor')
    text(actor.system, 'actor.system')
  } else {
    exactKeys(actor, ['name', 'roles', 'user'], 'actor')
    text(actor.user, 'actor.user')
    text(actor.name, 'actor.name')
    if (!Array.isArray(actor.roles)) bad('actor.roles must be an array')
    actor.roles.forEach((r, i) => text(r, `actor.roles[${i}]`))
  }
  if (typeof e.action !== 'string' || !ACTION.test(e.action)) bad('action must be dotted lowercase words, e.g. user.created')
  if (e.outcome !== 'ok' && e.outcome !== 'refused') bad("outcome must be 'ok' or 'refused'")
  if (e.subject !== null) {
    if (!isRecord(e.subject)) bad('subject must be null or { type, id }')
    exactKeys(e.subject, ['id', 'type'], 'subject')
    text(e.subject.type, 'subject.type')
    text(e.subject.id, 'subject.id')
  }
  if (e.where !== null) {
    // One form per meaning: "nowhere" is null, never {}.
    const where = e.where
    if (!isRecord(where)) bad('where must be null or { site?, room? }')
    const keys = Object.keys(where)
    if (keys.length === 0 || keys.some((k) => k !== 'site' && k !== 'room')) bad('where must have site and/or room only (null for none)')
    keys.forEach((k) => text(where[k], `where.${k}`))
  }
  if (!isRecord(e.data)) bad('data must be an object')
}

/** Canonical bytes of an event, after checking its shape; throws EventError or CanonicalError. `encodeEvent(e)` */
export function encodeEvent(e: LogEvent): Uint8Array {
  checkEvent(e)
  return canonicalBytes(e as unknown as Canonical)
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) // keep a BOM so it is rejected, not silently dropped

/** The UTF-8 text of entry bytes; throws EventError('event.malformed') for invalid UTF-8. */
export function eventText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch {
    return bad('bytes are not UTF-8')
  }
}

/**
 * The position and chain link of an event's bytes, checked by the same rules as decodeEvent (strict UTF-8, the
 * canonical encoding of a well-formed event) without building the event: the server's start-up check reads
 * every stored entry. Throws EventError. `eventHeadOf(encodeEvent(e))` → `{ index: e.index, prev: e.prev }`
 */
export function eventHeadOf(bytes: Uint8Array): { index: number; prev: string } {
  const text = eventText(bytes)
  const head: EventHead = { index: 0, prevAt: 0, actionAt: 0, actionEnd: 0 }
  scanEventAt(text, 0, text.length, head)
  return { index: head.index, prev: text.slice(head.prevAt, head.prevAt + 64) }
}

/** Decodes the canonical text of an event; throws EventError. `decodeEventText('{"action":...}')` */
export function decodeEventText(text: string): LogEvent {
  let value: Canonical
  try {
    value = parseCanonicalJson(text)
  } catch (err) {
    if (err instanceof CanonicalError && err.code === 'canonical.not_canonical') {
      throw new EventError('event.not_canonical', 'bytes are JSON but not its canonical form')
    }
    return bad('bytes are not JSON')
  }
  checkEvent(value)
  return value
}

/**
 * Strict decode: the bytes must be exactly the canonical encoding of a well-formed event, so
 * re-encoding gives the same bytes and nothing can be smuggled in. `decodeEvent(encodeEvent(e))`
 */
export function decodeEvent(bytes: Uint8Array): LogEvent {
  return decodeEventText(eventText(bytes))
}

// The verifier's hot path: the same rules as checkEvent, checked on the canonical text itself,
// in place (the event may sit inside a longer export line), without building the event or
// slicing strings: allocation, not parsing, dominated verification time. Canonical validation
// comes first, so the small matchers below only walk a known layout. A property test keeps this
// and checkEvent in agreement.
const QUOTED_KEYS = KEYS.map((k) => `"${k}"`) // canonical order: action, actor, data, index, outcome, prev, subject, time, v, where
const RANGES = new Int32Array(4 * KEYS.length)

/** At a (validated) JSON string: the offset after its closing quote, or -1 if it is not a non-empty string. */
function stringEnd(t: string, i: number): number {
  if (t.charCodeAt(i) !== 0x22 || t.charCodeAt(i + 1) === 0x22) return -1
  for (let j = i + 1; ; j++) {
    const c = t.charCodeAt(j)
    if (c === 0x5c)
      j++ // canonical escapes are \x or \u00xx: skipping one character is enough
    else if (c === 0x22) return j + 1
  }
}

/** t[i..] starts with `lit` followed by a non-empty string: the offset after it, or -1. */
function field(t: string, i: number, lit: string): number {
  return i >= 0 && t.startsWith(lit, i) ? stringEnd(t, i + lit.length) : -1
}

const closes = (t: string, i: number, end: number): boolean => i >= 0 && i + 1 === end && t.charCodeAt(i) === 0x7d

/** {"system":S} or {"name":S,"roles":[S,...],"user":S} */
function actorOk(t: string, start: number, end: number): boolean {
  if (t.startsWith('{"system":', start)) return closes(t, field(t, start, '{"system":'), end)
  let i = field(t, start, '{"name":')
  if (i < 0 || !t.startsWith(',"roles":[', i)) return false
  i += 10
  if (t.charCodeAt(i) !== 0x5d) {
    for (;;) {
      i = stringEnd(t, i)
      if (i < 0) return false
      if (t.charCodeAt(i) === 0x5d) break
      if (t.charCodeAt(i++) !== 0x2c) return false
    }
  }
  return closes(t, field(t, i + 1, ',"user":'), end)
}

/** null or {"id":S,"type":S} */
function subjectOk(t: string, start: number, end: number): boolean {
  if (end - start === 4 && t.startsWith('null', start)) return true
  return closes(t, field(t, field(t, start, '{"id":'), ',"type":'), end)
}

/** null, {"room":S}, {"site":S} or {"room":S,"site":S} */
function whereOk(t: string, start: number, end: number): boolean {
  if (end - start === 4 && t.startsWith('null', start)) return true
  if (t.startsWith('{"site":', start)) return closes(t, field(t, start, '{"site":'), end)
  const i = field(t, start, '{"room":')
  return closes(t, i, end) || closes(t, field(t, i, ',"site":'), end)
}

/** "word(.word)+", words [a-z][a-z0-9_]* */
function actionOk(t: string, start: number, end: number): boolean {
  if (end - start < 5 || t.charCodeAt(start) !== 0x22 || t.charCodeAt(end - 1) !== 0x22) return false
  let dots = 0
  let wordStart = true
  for (let i = start + 1; i < end - 1; i++) {
    const c = t.charCodeAt(i)
    const lower = c >= 0x61 && c <= 0x7a
    if (c === 0x2e) {
      if (wordStart) return false
      dots++
      wordStart = true
    } else if (wordStart) {
      if (!lower) return false
      wordStart = false
    } else if (!(lower || (c >= 0x30 && c <= 0x39) || c === 0x5f)) {
      return false
    }
  }
  return dots > 0 && !wordStart
}

/** "<64 lowercase hex digits>" */
function prevOk(t: string, start: number, end: number): boolean {
  if (end - start !== 66 || t.charCodeAt(start) !== 0x22 || t.charCodeAt(end - 1) !== 0x22) return false
  for (let i = start + 1; i < end - 1; i++) {
    const c = t.charCodeAt(i)
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false
  }
  return true
}

/** Where the verifier finds an entry's position, chain link and action in the scanned text. */
export interface EventHead {
  index: number
  /** Offset of the first of prev's 64 hex digits. */
  prevAt: number
  /** Offsets of the action's text, without quotes. */
  actionAt: number
  actionEnd: number
}

/**
 * Checks that text[start, end) is the canonical text of a well-formed LogEvent (the rules of
 * decodeEventText) and fills `head`; throws EventError. `scanEventAt(line, s, e, head)`
 */
export function scanEventAt(text: string, start: number, end: number, head: EventHead): void {
  if (!scanEventLayout(text, start, end, head)) scanEventGeneral(text, start, end, head)
}

/** scanEventAt without its fast path: canonical JSON first, then the shape of each field. Exported for tests. */
export function scanEventGeneral(text: string, start: number, end: number, head: EventHead): void {
  const n = scanCanonicalObject(text, start, end, RANGES)
  if (n < 0) {
    decodeEventText(text.slice(start, end)) // not canonical: the full decoder names the problem (it throws)
    bad('not a canonical event')
  }
  if (n !== KEYS.length) bad(`event must have exactly the fields ${KEYS.join(', ')}`)
  for (let i = 0; i < n; i++) {
    if (RANGES[4 * i + 1]! - RANGES[4 * i]! !== QUOTED_KEYS[i]!.length || !text.startsWith(QUOTED_KEYS[i]!, RANGES[4 * i])) {
      bad(`event must have exactly the fields ${KEYS.join(', ')}`)
    }
  }
  const at = (i: number): number => RANGES[4 * i + 2]!
  const to = (i: number): number => RANGES[4 * i + 3]!
  if (!actionOk(text, at(0), to(0))) bad('action must be dotted lowercase words, e.g. user.created')
  if (!actorOk(text, at(1), to(1))) bad('actor must be { user, name, roles } or { system } with non-empty strings')
  if (text.charCodeAt(at(2)) !== 0x7b) bad('data must be an object')
  const index = digits(text, at(3), to(3) - at(3)) // canonical, so no sign, zeros or exponent to worry about
  if (index < 0) bad('index must be a non-negative safe integer')
  const outcome = to(4) - at(4)
  if (!((outcome === 4 && text.startsWith('"ok"', at(4))) || (outcome === 9 && text.startsWith('"refused"', at(4))))) bad("outcome must be 'ok' or 'refused'")
  if (!prevOk(text, at(5), to(5))) bad('prev must be 64 lowercase hex digits')
  if (!subjectOk(text, at(6), to(6))) bad('subject must be null or { type, id }')
  if (to(7) - at(7) !== 26 || text.charCodeAt(at(7)) !== 0x22 || !validTimeAt(text, at(7) + 1)) {
    bad('time must be ISO 8601 UTC with milliseconds, e.g. 2026-11-25T04:00:00.000Z')
  }
  if (to(8) - at(8) !== 1 || text.charCodeAt(at(8)) !== 0x31) bad('v must be 1')
  if (!whereOk(text, at(9), to(9))) bad('where must have site and/or room only (null for none)')
  head.index = index
  head.prevAt = at(5) + 1
  head.actionAt = at(0) + 1
  head.actionEnd = to(0) - 1
}

// The fast path of scanEventAt: one pass over an event written in exactly the layout encodeEvent gives a
// well-formed event, the fixed fields matched literally and only `data` scanned as free-form canonical JSON.
// It accepts a subset of what the general path accepts (a property test holds it to that, with the same
// head), and anything else, valid or not, goes to the general path, which also names the problem.

/** At a quote: the offset after a NON-EMPTY canonical JSON string (escapes as JSON.stringify writes them), or -1. */
function canonicalStringEnd(t: string, i: number): number {
  if (t.charCodeAt(i) !== 0x22 || t.charCodeAt(i + 1) === 0x22) return -1
  for (let j = i + 1; ; j++) {
    const c = t.charCodeAt(j)
    if (c === 0x22) return j + 1
    if (c === 0x5c) {
      const e = t.charCodeAt(j + 1)
      if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        j++
        continue
      }
      return -1 // \u00xx and anything rarer: the general path decides
    }
    if (!(c >= 0x20)) return -1 // raw controls, and the end of the text (NaN)
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = t.charCodeAt(j + 1)
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return -1
      j++
    }
  }
}

/**
 * The common `data`: a flat object, keys of [A-Za-z0-9_.-] in strictly increasing order, values strings,
 * canonical integers of at most 15 digits, true, false or null. Returns the offset after it, or -2 for
 * anything else (nested values, other keys, doubts of any kind): the general scanner then decides.
 */
function flatObjectEnd(t: string, i: number): number {
  if (t.charCodeAt(i) !== 0x7b) return -2
  i++
  if (t.charCodeAt(i) === 0x7d) return i + 1
  let prevStart = -1
  let prevEnd = -1
  for (;;) {
    if (t.charCodeAt(i) !== 0x22) return -2
    const keyStart = i + 1
    let j = keyStart
    for (;;) {
      const c = t.charCodeAt(j)
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d) j++
      else break
    }
    if (j === keyStart || t.charCodeAt(j) !== 0x22 || t.charCodeAt(j + 1) !== 0x3a) return -2
    if (prevStart >= 0) {
      // strictly increasing by code units (ASCII here), which also rules out a repeated key
      let order = 0
      const n = Math.min(prevEnd - prevStart, j - keyStart)
      for (let k = 0; k < n && order === 0; k++) order = t.charCodeAt(prevStart + k) - t.charCodeAt(keyStart + k)
      if (order > 0 || (order === 0 && prevEnd - prevStart >= j - keyStart)) return -2
    }
    prevStart = keyStart
    prevEnd = j
    i = j + 2
    const c = t.charCodeAt(i)
    if (c === 0x22) {
      i = t.charCodeAt(i + 1) === 0x22 ? i + 2 : canonicalStringEnd(t, i)
      if (i < 0) return -2
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const numStart = i
      if (c === 0x2d) i++
      const first = i
      while (t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++
      const digits = i - first
      if (digits === 0 || digits > 15 || (t.charCodeAt(first) === 0x30 && (digits > 1 || c === 0x2d)) || i - numStart > 16) return -2
    } else if (starts(t, i, 'true') || starts(t, i, 'null')) {
      i += 4
    } else if (starts(t, i, 'false')) {
      i += 5
    } else {
      return -2
    }
    const next = t.charCodeAt(i++)
    if (next === 0x7d) return i
    if (next !== 0x2c) return -2
  }
}

/** t[i..] starts with `lit` then a non-empty canonical string: the offset after it, or -1. */
function litString(t: string, i: number, lit: string): number {
  return i >= 0 && starts(t, i, lit) ? canonicalStringEnd(t, i + lit.length) : -1
}

/**
 * t[i..] starts with `l` (compared unit by unit: String.prototype.startsWith with a position is several
 * times slower in JavaScriptCore, and these literals are matched on every event).
 */
function starts(t: string, i: number, l: string): boolean {
  for (let k = 0; k < l.length; k++) if (t.charCodeAt(i + k) !== l.charCodeAt(k)) return false
  return true
}

/** t[i..] starts with `l`: the offset after it, or -1. */
const lit = (t: string, i: number, l: string): number => (i >= 0 && starts(t, i, l) ? i + l.length : -1)

/** True (and `head` filled) iff t[start, end) is a well-formed event in encodeEvent's layout; false decides nothing. Exported for tests. */
export function scanEventLayout(t: string, start: number, end: number, head: EventHead): boolean {
  // "action":"word.word"
  let i = lit(t, start, '{"action":')
  if (i < 0) return false
  const actionAt = i
  i = canonicalStringEnd(t, i)
  if (i < 0 || !actionOk(t, actionAt, i)) return false
  const actionEnd = i
  // "actor":{"system":S} or {"name":S,"roles":[S,...],"user":S}
  i = lit(t, i, ',"actor":')
  if (i < 0) return false
  if (starts(t, i, '{"system":')) {
    i = lit(t, litString(t, i, '{"system":'), '}')
  } else {
    i = lit(t, litString(t, i, '{"name":'), ',"roles":[')
    if (i < 0) return false
    if (t.charCodeAt(i) !== 0x5d) {
      for (;;) {
        i = canonicalStringEnd(t, i)
        if (i < 0) return false
        if (t.charCodeAt(i) === 0x5d) break
        if (t.charCodeAt(i++) !== 0x2c) return false
      }
    }
    i = lit(t, litString(t, i + 1, ',"user":'), '}')
  }
  // "data":{...} free-form, one level down
  i = lit(t, i, ',"data":')
  if (i < 0 || t.charCodeAt(i) !== 0x7b) return false
  const flat = flatObjectEnd(t, i)
  i = flat !== -2 ? flat : scanCanonicalValueAt(t, i, 1)
  // "index":N, canonical (no zeros in front), at most 15 digits (always a safe integer)
  i = lit(t, i, ',"index":')
  if (i < 0) return false
  let n = 0
  const indexAt = i
  for (;;) {
    const d = t.charCodeAt(i) - 0x30
    if (!(d >= 0 && d <= 9)) break
    n = n * 10 + d
    i++
  }
  const width = i - indexAt
  if (width === 0 || width > 15 || (width > 1 && t.charCodeAt(indexAt) === 0x30)) return false
  // "outcome":"ok"|"refused"
  i = lit(t, i, ',"outcome":')
  if (i < 0) return false
  i = starts(t, i, '"ok"') ? i + 4 : starts(t, i, '"refused"') ? i + 9 : -1
  // "prev":"<64 lowercase hex>"
  i = lit(t, i, ',"prev":')
  if (i < 0 || !prevOk(t, i, i + 66)) return false
  const prevAt = i + 1
  i += 66
  // "subject":null or {"id":S,"type":S}
  i = lit(t, i, ',"subject":')
  if (i < 0) return false
  i = starts(t, i, 'null') ? i + 4 : lit(t, litString(t, litString(t, i, '{"id":'), ',"type":'), '}')
  // "time":"YYYY-MM-DDTHH:MM:SS.mmmZ"
  i = lit(t, i, ',"time":"')
  if (i < 0 || !validTimeAt(t, i) || t.charCodeAt(i + 24) !== 0x22) return false
  // "v":1, then "where":null, {"room":S}, {"site":S} or {"room":S,"site":S}
  i = lit(t, i + 25, ',"v":1,"where":')
  if (i < 0) return false
  if (starts(t, i, 'null')) {
    i += 4
  } else if (starts(t, i, '{"site":')) {
    i = lit(t, litString(t, i, '{"site":'), '}')
  } else {
    i = litString(t, i, '{"room":')
    i = i >= 0 && t.charCodeAt(i) === 0x7d ? i + 1 : lit(t, litString(t, i, ',"site":'), '}')
  }
  if (i < 0 || t.charCodeAt(i) !== 0x7d || i + 1 !== end) return false
  head.index = n
  head.prevAt = prevAt
  head.actionAt = actionAt + 1
  head.actionEnd = actionEnd - 1
  return true
}
