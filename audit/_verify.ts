// Offline verifier for an export (see _export.ts). It names the FIRST wrong entry: entries are
// checked in order (line shape, position, canonical bytes, displayed event, hash chain, key
// rotation), then the trailer (signature by a trusted key, size, Merkle root). Streaming: O(log n)
// memory, one leaf hash per entry, the root from a Frontier.
import { fromBase64, toBase64 } from '../crypto/index.ts'
import { canonicalJson, wellFormed } from './_canonical.ts'
import { parseCheckpoint } from './_checkpoint.ts'
import { EventError } from './_errors.ts'
import { decodeEventText, eventText, scanEventAt, type EventHead } from './_event.ts'
import { CompactRange, Frontier, leafHashOfPrefixed } from './_merkle.ts'
import { openCosignatures, parseCosignerVkey, type CosignerKey } from './_cosignature.ts'
import { keyIdHex, openNote, parseVkey, type Vkey } from './_note.ts'
import { checkKeyRotation, KEY_ROTATED } from './_rotation.ts'

export type VerifyCode =
  | 'entry.malformed' // a line or its bytes do not parse, or the event is not a well-formed LogEvent
  | 'entry.index_mismatch' // an entry is not at its own position (deleted, inserted, reordered)
  | 'entry.not_canonical' // bytes are JSON but not the canonical encoding
  | 'entry.changed' // the displayed "event" differs from the bytes
  | 'entry.chain_broken' // prev is not the leaf hash of the entry before
  | 'key.rotation_invalid' // a 'log.key_rotated' entry is not signed by both keys
  | 'log.truncated' // no trailer line: the export was cut short
  | 'checkpoint.missing' // a trailer line without a checkpoint
  | 'checkpoint.not_last' // lines after the trailer
  | 'checkpoint.malformed' // the trailer, its note, keys or checkpoint text do not parse
  | 'checkpoint.bad_signature' // not signed by a trusted key, or a trusted key's signature fails
  | 'checkpoint.size_mismatch' // the checkpoint's size is not the number of entries
  | 'checkpoint.root_mismatch' // the checkpoint's root is not the root of the entries
  | 'checkpoint.not_cosigned' // a required witness's cosignature is absent (docs/decisions/009-log-witness.md)
  | 'checkpoint.bad_cosignature' // a required witness's cosignature line does not verify

export type VerifyFailure = { ok: false; index: number | null; code: VerifyCode; reason: string }
export type VerifyResult = { ok: true; size: number; root: string; origin: string; summary: string } | VerifyFailure

/**
 * Where a slice of an export starts, for verifying one export in parallel slices (audit/cli.ts): the
 * slice's first position is taken from its first line, its first `prev` is recorded rather than checked,
 * and its leaves are kept as a compact range (O(log n) subtree hashes) for the caller to join. The caller
 * checks the seams.
 */
export interface SliceOptions {
  slice: true
}
export interface SliceResult {
  failure: VerifyFailure | undefined
  start: number
  count: number
  firstPrevHex: string | null
  lastLeaf: Uint8Array | null
  /** The slice's leaves as aligned perfect subtrees, left to right: [height, hash] (CompactRange). */
  subtrees: Array<[number, Uint8Array]>
  rotations: Array<[string, string]>
  trailer: Record<string, unknown> | undefined
  blankLines: number
}

export interface VerifyOptions {
  /**
   * Vkeys trusted to sign the checkpoint (an empty list trusts nothing). Without this option the
   * export's own keys are used and the summary says "key not pinned".
   */
  trustedKeys?: readonly string[]
  /**
   * Witness vkeys (cosignature/v1, c2sp.org/tlog-cosignature) each of which must have cosigned the
   * checkpoint; `verify-log --witness VKEY`.
   */
  witnessKeys?: readonly string[]
}

class Stop {
  constructor(readonly failure: VerifyFailure) {}
}

function stop(index: number | null, code: VerifyCode, reason: string): never {
  throw new Stop({ ok: false, index, code, reason })
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const ENTRY_KEYS = new Set(['index', 'bytes', 'event'])

/** True iff text[at, at+64) is the lowercase hex of the 32 `bytes`, compared in place. */
function hexEquals(text: string, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const hi = text.charCodeAt(at + 2 * i)
    const lo = text.charCodeAt(at + 2 * i + 1)
    const value = ((hi <= 0x39 ? hi - 0x30 : hi - 0x57) << 4) | (lo <= 0x39 ? lo - 0x30 : lo - 0x57)
    if (value !== bytes[i]) return false
  }
  return true
}

const utf8Encoder = new TextEncoder()
// Byte lines (pushBytes): the event is decoded strictly (invalid UTF-8 takes the general path, which
// reports it); the "bytes" field is compared with the event's base64 (base64At).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })
const INDEX_KEY = utf8Encoder.encode('{"index":')
const BYTES_KEY = utf8Encoder.encode(',"bytes":"')
const EVENT_KEY = utf8Encoder.encode('","event":')

// The base64 comparison is the costliest step of a byte line after the hashing and the scan: written into a
// scratch buffer and compared natively it takes a third of the time of a character loop.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer
let b64Scratch = NodeBuffer ? NodeBuffer.alloc(4096) : null

/** b[start, end) is exactly the ASCII text `b64`. */
function base64At(b: Uint8Array, start: number, end: number, b64: string): boolean {
  if (b64.length !== end - start) return false
  if (!b64Scratch || !NodeBuffer) {
    for (let k = 0; k < b64.length; k++) if (b64.charCodeAt(k) !== b[start + k]) return false
    return true
  }
  if (b64Scratch.length < b64.length) b64Scratch = NodeBuffer.alloc(2 * b64.length)
  const written = b64Scratch.write(b64, 0, 'latin1')
  return written === b64.length && b64Scratch.compare(b, start, end, 0, written) === 0
}

function bytesAt(b: Uint8Array, at: number, lit: Uint8Array): boolean {
  for (let i = 0; i < lit.length; i++) if (b[at + i] !== lit[i]) return false
  return true
}

/**
 * Streaming verifier: push lines in order, then finish(). push returns the failure once one is
 * certain (later pushes are ignored). `const v = new ExportVerifier(opts); for (l of lines) if (v.push(l)) break; v.finish()`
 */
export class ExportVerifier {
  private readonly pinned: Vkey[] | undefined
  private readonly witnesses: CosignerKey[]
  private readonly frontier = new Frontier()
  private readonly rotations: Array<[string, string]> = []
  private prevLeaf: Uint8Array = new Uint8Array(32) // GENESIS_PREV as bytes
  private readonly head: EventHead = { index: 0, prevAt: 0, actionAt: 0, actionEnd: 0 }
  private blankLines = 0
  private trailer: Record<string, unknown> | undefined
  private failure: VerifyFailure | undefined
  private scratch = new Uint8Array(4096) // UTF-8 of the current line, reused line after line
  // Slice mode (see SliceOptions): position offset, first prev seen, the slice's leaves.
  private readonly slice: boolean
  private start = 0
  private accepted = 0
  private firstPrevHex: string | null = null
  private range: CompactRange | undefined

  constructor(opts: VerifyOptions & Partial<SliceOptions> = {}) {
    // Bad pinned keys are the caller's error, not the export's: throw (NoteError) rather than report.
    this.pinned = opts.trustedKeys?.map(parseVkey)
    this.witnesses = (opts.witnessKeys ?? []).map((k) => parseCosignerVkey(k))
    this.slice = opts.slice === true
  }

  /** Entries accepted so far (in slice mode: the position after the last accepted entry). */
  get count(): number {
    return this.start + this.accepted
  }

  /** In slice mode, everything the caller needs to join this slice to the one before it. */
  sliceResult(): SliceResult {
    return {
      failure: this.failure,
      start: this.start,
      count: this.accepted,
      firstPrevHex: this.firstPrevHex,
      lastLeaf: this.accepted > 0 ? this.prevLeaf : null,
      subtrees: this.range?.nodes() ?? [],
      rotations: this.rotations,
      trailer: this.trailer,
      blankLines: this.blankLines,
    }
  }

  /** Joins a verified slice that follows this verifier's entries (the caller has checked the seam). */
  join(next: SliceResult): void {
    for (const [height, hash] of next.subtrees) this.frontier.pushSubtree(height, hash)
    this.accepted += next.count
    if (next.lastLeaf) this.prevLeaf = next.lastLeaf
    this.rotations.push(...next.rotations)
    this.trailer = next.trailer
    this.blankLines = next.blankLines
    this.failure = next.failure
  }

  /** The failure found so far, if any. */
  get failed(): VerifyFailure | undefined {
    return this.failure
  }

  /** Whether the checkpoint line or blank lines were seen (nothing may follow them but blank lines). */
  get ended(): { trailer: boolean; blankLines: number } {
    return { trailer: this.trailer !== undefined, blankLines: this.blankLines }
  }

  /** Records a failure found outside the lines (at a seam between slices). */
  fail(failure: VerifyFailure): void {
    this.failure ??= failure
  }

  /** The leaf hash of the last accepted entry (64 zeros before any). */
  get lastLeaf(): Uint8Array {
    return this.prevLeaf
  }

  /** Checks one line (a trailing '\r' is ignored). Returns the failure if the export is now known to be bad. */
  push(line: string): VerifyFailure | undefined {
    if (this.failure) return this.failure
    try {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line
      if (!this.fastText(text)) this.line(text)
    } catch (err) {
      if (!(err instanceof Stop)) throw err
      this.failure = err.failure
    }
    return this.failure
  }

  /**
   * Checks one line given as UTF-8 bytes, buf[start, end) without its newline: the same verdicts as
   * push() of the decoded line, without building strings for the line or its base64 (the CLI's path). A
   * line in exactly formatExportLine's shape is checked on the bytes; anything else is decoded and goes
   * to the general path.
   * The byte before the event is overwritten while it is hashed, and restored.
   */
  pushBytes(buf: Uint8Array, start: number, end: number): VerifyFailure | undefined {
    if (this.failure) return this.failure
    try {
      if (!this.fastBytes(buf, start, end)) {
        const line = lossyUtf8.decode(buf.subarray(start, end))
        this.line(line.endsWith('\r') ? line.slice(0, -1) : line)
      }
    } catch (err) {
      if (!(err instanceof Stop)) throw err
      this.failure = err.failure
    }
    return this.failure
  }

  /**
   * A line exactly as formatExportLine writes it, {"index":N,"bytes":"B","event":E}, checked on its bytes: E's
   * bytes must base64-encode to B, so one comparison proves "bytes" and "event" agree, and E must be UTF-8.
   * False decides nothing (the general path then runs).
   */
  private fastBytes(b: Uint8Array, start: number, end: number): boolean {
    if (this.trailer || this.blankLines > 0 || end - start < 32 || !bytesAt(b, start, INDEX_KEY)) return false
    let i = start + INDEX_KEY.length
    let n = 0
    while (i < end) {
      const d = b[i]! - 0x30
      if (!(d >= 0 && d <= 9)) break
      n = n * 10 + d
      i++
    }
    const width = i - start - INDEX_KEY.length
    if (width === 0 || width > 15 || (width > 1 && b[start + INDEX_KEY.length] === 0x30) || !bytesAt(b, i, BYTES_KEY)) return false
    if (this.slice && this.accepted === 0 && this.start === 0) this.start = n // as sliceStart() reads it
    const pos = this.count
    const b64At = i + BYTES_KEY.length
    const quote = b.indexOf(0x22, b64At)
    if (n !== pos || quote < 0 || quote >= end || !bytesAt(b, quote, EVENT_KEY) || b[end - 1] !== 0x7d) return false
    const evStart = quote + EVENT_KEY.length
    const evEnd = end - 1
    if (quote - b64At !== 4 * Math.ceil((evEnd - evStart) / 3)) return false
    const event = b.subarray(evStart, evEnd)
    if (!base64At(b, b64At, quote, toBase64(event))) return false
    // The lenient decoder is faster; a text without U+FFFD had nothing to replace, so the bytes were UTF-8.
    // With one (replaced or genuine), the strict decoder decides.
    let text = lossyUtf8.decode(event)
    if (text.includes('\ufffd')) {
      try {
        text = strictUtf8.decode(event)
      } catch {
        return false
      }
    }
    const colon = evStart - 1
    b[colon] = 0x00 // the ':' before E becomes the leaf prefix: 0x00 || entry (RFC 9162 §2.1.1)
    try {
      this.accept(text, 0, text.length, pos, undefined, b.subarray(colon, evEnd))
    } finally {
      b[colon] = 0x3a
    }
    return true
  }

  /** The verdict once every line has been pushed. */
  finish(): VerifyResult {
    if (this.failure) return this.failure
    try {
      return this.checkTrailer()
    } catch (err) {
      if (!(err instanceof Stop)) throw err
      this.failure = err.failure
      return err.failure
    }
  }

  private line(line: string): void {
    if (this.slice && this.accepted === 0 && this.start === 0) this.start = sliceStart(line)
    const pos = this.count
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) {
      this.blankLines++ // tolerated only at the very end (a final newline)
      return
    }
    if (this.trailer) stop(pos, 'checkpoint.not_last', 'a line follows the checkpoint line')
    if (this.blankLines > 0) stop(pos, 'entry.malformed', 'blank line inside the export')
    let obj: unknown
    try {
      obj = JSON.parse(line)
    } catch {
      return stop(pos, 'entry.malformed', 'line is not JSON')
    }
    if (!isRecord(obj)) stop(pos, 'entry.malformed', 'line is not a JSON object')
    if (!Object.hasOwn(obj, 'bytes') && (Object.hasOwn(obj, 'checkpoint') || Object.hasOwn(obj, 'keys'))) {
      this.trailer = obj
      return
    }
    if (Object.keys(obj).some((k) => !ENTRY_KEYS.has(k))) stop(pos, 'entry.malformed', 'entry line has fields other than index, bytes, event')
    if (typeof obj.index !== 'number') stop(pos, 'entry.malformed', 'entry line has no numeric index')
    if (obj.index !== pos) stop(pos, 'entry.index_mismatch', `line says index ${obj.index} at position ${pos}: an entry was deleted, inserted or moved`)
    if (typeof obj.bytes !== 'string') stop(pos, 'entry.malformed', 'entry line has no bytes')
    let bytes: Uint8Array
    try {
      bytes = fromBase64(obj.bytes)
    } catch {
      return stop(pos, 'entry.malformed', 'bytes are not canonical base64')
    }
    const text = this.text(bytes, pos)
    const leafInput = new Uint8Array(1 + bytes.length)
    leafInput.set(bytes, 1)
    this.accept(text, 0, text.length, pos, Object.hasOwn(obj, 'event') ? { shown: obj.event } : undefined, leafInput)
  }

  /**
   * The common case of push(): a line in formatExportLine's shape is UTF-8 encoded once and checked as bytes
   * (fastBytes), without JSON.parse. Anything else goes to the general path, which names the problem.
   */
  private fastText(line: string): boolean {
    // encodeInto would turn an unpaired surrogate into U+FFFD: such a line is not its bytes' text.
    if (!line.startsWith('{"index":') || !wellFormed(line)) return false
    if (this.scratch.length < 3 * line.length) this.scratch = new Uint8Array(6 * line.length)
    const written = utf8Encoder.encodeInto(line, this.scratch).written
    return this.fastBytes(this.scratch, 0, written)
  }

  private text(bytes: Uint8Array, pos: number): string {
    try {
      return eventText(bytes)
    } catch {
      return stop(pos, 'entry.malformed', 'bytes are not UTF-8')
    }
  }

  /** The entry's text is text[start, end); `leafInput` is 0x00 || its UTF-8 bytes. */
  private accept(text: string, start: number, end: number, pos: number, shown: { shown: unknown } | undefined, leafInput: Uint8Array): void {
    const head = this.head
    try {
      scanEventAt(text, start, end, head)
    } catch (err) {
      if (!(err instanceof EventError)) throw err
      return stop(pos, err.code === 'event.not_canonical' ? 'entry.not_canonical' : 'entry.malformed', err.message)
    }
    if (head.index !== pos) stop(pos, 'entry.index_mismatch', `entry bytes say index ${head.index} at position ${pos}`)
    if (shown !== undefined) {
      let same = false
      try {
        same = canonicalJson(shown.shown as never) === text.slice(start, end)
      } catch {
        same = false
      }
      if (!same) stop(pos, 'entry.changed', 'the displayed event differs from the entry bytes')
    }
    if (this.slice && this.accepted === 0) {
      this.firstPrevHex = text.slice(head.prevAt, head.prevAt + 64)
    } else if (!hexEquals(text, head.prevAt, this.prevLeaf)) {
      stop(
        pos,
        'entry.chain_broken',
        pos === 0 ? 'the first entry must have prev = 64 zeros' : `prev does not match entry ${pos - 1}: entry ${pos - 1} or ${pos} was altered`,
      )
    }
    if (head.actionEnd - head.actionAt === KEY_ROTATED.length && text.startsWith(KEY_ROTATED, head.actionAt)) {
      try {
        const r = checkKeyRotation(decodeEventText(text.slice(start, end)).data, pos)
        this.rotations.push([r.old.text, r.new.text])
      } catch (err) {
        stop(pos, 'key.rotation_invalid', (err as Error).message)
      }
    }
    const leaf = leafHashOfPrefixed(leafInput)
    if (this.slice) {
      this.range ??= new CompactRange(this.start)
      this.range.push(leaf)
    } else {
      this.frontier.push(leaf)
    }
    this.accepted++
    this.prevLeaf = leaf
  }

  private checkTrailer(): VerifyResult {
    const n = this.count
    const t = this.trailer
    if (!t) stop(null, 'log.truncated', n === 0 ? 'the export is empty' : `the export ends after ${n} entries without its checkpoint line`)
    if (typeof t.checkpoint !== 'string') stop(null, 'checkpoint.missing', 'the trailer line has no checkpoint')
    if (!Array.isArray(t.keys) || !t.keys.every((k) => typeof k === 'string')) stop(null, 'checkpoint.malformed', 'the trailer keys must be a list of vkeys')
    let shipped: Vkey[]
    try {
      shipped = t.keys.map((k: string) => parseVkey(k))
    } catch (err) {
      return stop(null, 'checkpoint.malformed', `a trailer key is invalid: ${(err as Error).message}`)
    }
    // Rotation passes trust from an old key to a new one, in log order.
    const trusted = new Map<string, Vkey>()
    for (const k of this.pinned ?? shipped) trusted.set(k.text, k)
    for (const [oldKey, newKey] of this.rotations) if (trusted.has(oldKey)) trusted.set(newKey, parseVkey(newKey))
    let opened
    try {
      opened = openNote(t.checkpoint, [...trusted.values()])
    } catch (err) {
      return stop(null, 'checkpoint.malformed', `the checkpoint is not a signed note: ${(err as Error).message}`)
    }
    const known = opened.signatures.filter((s) => s.known)
    const failed = known.find((s) => !s.verified)
    if (failed) stop(null, 'checkpoint.bad_signature', `the signature by ${failed.name}+${keyIdHex(failed.keyId)} does not verify`)
    if (known.length === 0) {
      stop(
        null,
        'checkpoint.bad_signature',
        `the checkpoint is not signed by a trusted key (${trusted.size === 0 ? 'none given' : [...trusted.keys()].map((k) => k.split('+').slice(0, 2).join('+')).join(', ')})`,
      )
    }
    let checkpoint
    try {
      checkpoint = parseCheckpoint(opened.text)
    } catch (err) {
      return stop(null, 'checkpoint.malformed', (err as Error).message)
    }
    if (checkpoint.size !== n) stop(null, 'checkpoint.size_mismatch', `the checkpoint covers ${checkpoint.size} entries, the export has ${n}`)
    const root = this.frontier.root()
    if (toBase64(root) !== toBase64(checkpoint.rootHash)) stop(null, 'checkpoint.root_mismatch', 'the entries do not hash to the checkpoint root')
    const signers = known.map((s) => `${s.name}+${keyIdHex(s.keyId)}`).join(', ')
    const cosigned = this.witnesses.length === 0 ? [] : cosignedBy(t.checkpoint as string, this.witnesses)
    const notes = [
      ...(this.rotations.length > 0 ? [`${this.rotations.length} key rotation${this.rotations.length === 1 ? '' : 's'}`] : []),
      ...(this.pinned ? [] : ["key not pinned: trusted the export's own keys"]),
    ]
    const witnessed = cosigned.length > 0 ? `, cosigned by ${cosigned.join(', ')}` : ''
    const summary = `ok: ${n} events, root ${toBase64(root)}, checkpoint signed by ${signers}${witnessed}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`
    return { ok: true, size: n, root: toBase64(root), origin: checkpoint.origin, summary }
  }
}

/** Each required witness must have a verifying cosignature line; returns "name+id at <time>" per witness. */
function cosignedBy(note: string, witnesses: readonly CosignerKey[]): string[] {
  let checked
  try {
    checked = openCosignatures(note, witnesses)
  } catch (err) {
    return stop(null, 'checkpoint.malformed', `the checkpoint is not a signed note: ${(err as Error).message}`)
  }
  return witnesses.map((w) => {
    const id = `${w.name}+${keyIdHex(w.keyId)}`
    const mine = checked.filter((c) => c.witness === w.text)
    if (mine.some((c) => !c.verified)) stop(null, 'checkpoint.bad_cosignature', `the cosignature by witness ${id} does not verify`)
    if (mine.length === 0) stop(null, 'checkpoint.not_cosigned', `the checkpoint carries no cosignature by witness ${id}`)
    const time = Math.max(...mine.map((c) => c.time))
    return `${id} at ${new Date(time * 1000).toISOString()}`
  })
}

/** The position a slice's first line claims (0 when it claims none: the line's own checks then fail). */
function sliceStart(line: string): number {
  const m = /^\{"index":(\d{1,15}),/.exec(line)
  return m ? Number(m[1]) : 0
}

/** Verifies a whole export held as lines. `verifyExport(text.split('\n'), { trustedKeys: [vkey] })` */
export function verifyExport(lines: Iterable<string>, opts: VerifyOptions = {}): VerifyResult {
  const v = new ExportVerifier(opts)
  for (const line of lines) if (v.push(line)) break
  return v.finish()
}

/**
 * Verifies export lines from any source, sync or async: the CLI's file reader today, and the
 * server's store for `--data DIR` (see audit/cli.ts). `await verifyLines(linesFromStore(), opts)`
 */
export async function verifyLines(lines: Iterable<string> | AsyncIterable<string>, opts: VerifyOptions = {}): Promise<VerifyResult> {
  if (Symbol.iterator in lines) return verifyExport(lines, opts)
  const v = new ExportVerifier(opts)
  for await (const line of lines) if (v.push(line)) break
  return v.finish()
}
