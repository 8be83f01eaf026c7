// The custody log entry. Its canonical bytes are what the log hashes, chains and signs; the chain
// link `prev` is the RFC 9162 leaf hash of the previous entry, so one SHA-256 per entry serves both
// the hash chain and the Merkle tree.
import { canonicalBytes, parseCanonicalJson, type Canonical } from './_canonical.ts'
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
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

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
  // The regex fixes the form; the round trip rejects impossible dates such as 2026-02-30.
  if (typeof e.time !== 'string' || !TIME.test(e.time) || new Date(e.time).toISOString() !== e.time) {
    bad('time must be ISO 8601 UTC with milliseconds, e.g. 2026-11-25T04:00:00.000Z')
  }
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

/** Decodes the canonical text of an event (the verifier's hot path). `decodeEventText('{"action":...}')` */
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

