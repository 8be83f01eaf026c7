// Cosignatures, c2sp.org/tlog-cosignature (cosignature/v1, Ed25519): an outside witness's timestamped
// signature on a checkpoint, saying "as of this time, this is the largest consistent tree I have seen
// for this log". It is a signed-note signature line of signature type 0x04:
//   — <witness name> base64(keyID[4] || timestamp u64 big-endian || Ed25519 signature[64])
// over the message "cosignature/v1\ntime <unix seconds>\n" || the checkpoint's note text.
import { concatBytes, ed25519, fromBase64, sha256, toBase64, utf8 } from '../crypto/index.ts'
import { NoteError } from './_errors.ts'
import { isValidKeyName, splitNote } from './_note.ts'

/** The signature type byte of cosignature/v1 (key ids and vkeys). */
export const COSIGNATURE_V1 = 0x04

/** A witness's verifier key: `name+<8 hex key id>+<base64(0x04 || 32-byte Ed25519 public key)>`. */
export interface CosignerKey {
  name: string
  keyId: number
  publicKey: Uint8Array
  /** The vkey text, as formatCosignerVkey writes it. */
  text: string
}

/** One cosignature as carried on a signature line (not yet verified). */
export interface Cosignature {
  name: string
  keyId: number
  /** POSIX seconds at which the witness signed. */
  time: number
  signature: Uint8Array
}

/** A cosignature line of a note that names a given witness key, and whether it verified. */
export interface CheckedCosignature {
  /** The witness's vkey text. */
  witness: string
  name: string
  keyId: number
  time: number
  verified: boolean
  /** The signature line, without its newline. */
  line: string
}

const EM_DASH_SPACE = '\u2014 '
const TWO_32 = 2 ** 32

function badKey(why: string): never {
  throw new NoteError('note.bad_key', why)
}

function malformed(why: string): never {
  throw new NoteError('note.malformed', why)
}

/** Key ID: SHA-256(name || 0x0A || 0x04 || publicKey)[:4], big-endian. `cosignerKeyId('witness.example/w1', pub)` */
export function cosignerKeyId(name: string, publicKey: Uint8Array): number {
  if (!isValidKeyName(name)) badKey(`invalid key name ${JSON.stringify(name)}`)
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) badKey('public key must be 32 bytes')
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, COSIGNATURE_V1), publicKey))
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0')
const idBytes = (id: number): Uint8Array => Uint8Array.of(id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255)

/** A witness vkey. `formatCosignerVkey('witness.example/w1', pub)` → `witness.example/w1+1a2b3c4d+BC...` */
export function formatCosignerVkey(name: string, publicKey: Uint8Array): string {
  const id = cosignerKeyId(name, publicKey)
  return `${name}+${hex8(id)}+${toBase64(concatBytes(Uint8Array.of(COSIGNATURE_V1), publicKey))}`
}

/** Strict parse of a witness vkey, checking its key id and type 0x04. `parseCosignerVkey('w+8d66cf3f+BA...')` */
export function parseCosignerVkey(text: string): CosignerKey {
  if (typeof text !== 'string') badKey('vkey must be a string')
  const a = text.indexOf('+')
  const b = text.indexOf('+', a + 1)
  if (a < 0 || b < 0) badKey('vkey must be name+keyid+key')
  const name = text.slice(0, a)
  const id = text.slice(a + 1, b)
  if (!isValidKeyName(name)) badKey(`invalid key name ${JSON.stringify(name)}`)
  if (!/^[0-9a-f]{8}$/.test(id)) badKey('vkey key id must be 8 lowercase hex digits')
  let key: Uint8Array
  try {
    key = fromBase64(text.slice(b + 1))
  } catch {
    return badKey('vkey key is not base64')
  }
  if (key.length !== 33 || key[0] !== COSIGNATURE_V1) badKey('vkey is not a cosignature/v1 key (0x04 || 32-byte Ed25519 key)')
  const publicKey = key.slice(1)
  const keyId = cosignerKeyId(name, publicKey)
  if (keyId !== parseInt(id, 16)) badKey(`vkey key id ${id} does not match its key (${hex8(keyId)})`)
  return { name, keyId, publicKey, text }
}

function checkTime(time: number): void {
  // The spec allows up to 2^63 - 1; numbers here stay exact up to 2^53 - 1 (the year 285 million).
  if (!Number.isSafeInteger(time) || time < 0) malformed('cosignature time must be a non-negative safe integer (POSIX seconds)')
}

function checkText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) malformed('checkpoint text must end with a newline')
}

/** The bytes a witness signs. `cosignedMessage('origin\n5\n<root>\n', 1679315147)` */
export function cosignedMessage(checkpointText: string, time: number): Uint8Array {
  checkText(checkpointText)
  checkTime(time)
  return utf8(`cosignature/v1\ntime ${time}\n${checkpointText}`)
}

/** The signature bytes after the key id: timestamp (u64 big-endian) || signature. */
function timestamped(time: number, signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + signature.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, Math.floor(time / TWO_32))
  view.setUint32(4, time % TWO_32)
  out.set(signature, 8)
  return out
}

/**
 * A witness's cosignature line on a checkpoint text, ending in '\n'.
 * `cosignatureLine(text, 1679315147, 'witness.example/w1', witnessPriv)` → `— witness.example/w1 jWbP...\n`
 */
export function cosignatureLine(checkpointText: string, time: number, name: string, privateKey: Uint8Array): string {
  const id = cosignerKeyId(name, ed25519.publicKey(privateKey))
  const signature = ed25519.sign(privateKey, cosignedMessage(checkpointText, time))
  return `${EM_DASH_SPACE}${name} ${toBase64(concatBytes(idBytes(id), timestamped(time, signature)))}\n`
}

/** Reads the key id, timestamp and signature of one cosignature line (with or without its newline). */
export function parseCosignatureLine(line: string): Cosignature {
  if (typeof line !== 'string') malformed('cosignature line must be a string')
  const body = line.endsWith('\n') ? line.slice(0, -1) : line
  if (!body.startsWith(EM_DASH_SPACE)) malformed('signature line must start with an em dash and a space')
  const rest = body.slice(EM_DASH_SPACE.length)
  const space = rest.indexOf(' ')
  const name = rest.slice(0, space)
  if (space < 0 || !isValidKeyName(name)) malformed('signature line has no valid key name')
  let bytes: Uint8Array
  try {
    bytes = fromBase64(rest.slice(space + 1))
  } catch {
    return malformed('signature is not base64')
  }
  return fromSignatureBytes(name, bytes)
}

function fromSignatureBytes(name: string, bytes: Uint8Array): Cosignature {
  if (bytes.length !== 4 + 8 + 64) malformed(`a cosignature/v1 signature is 76 bytes (key id, time, Ed25519), got ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const keyId = view.getUint32(0)
  const hi = view.getUint32(4)
  if (hi >= 2 ** 21) malformed('cosignature time is beyond 2^53 - 1')
  const time = hi * TWO_32 + view.getUint32(8)
  return { name, keyId, time, signature: bytes.slice(12) }
}

/**
 * Verifies one cosignature line of `key` on a checkpoint text; returns its time, or throws NoteError
 * (`note.unverified` when the line is another key's, `note.bad_signature` when it does not verify).
 * `verifyCosignature(text, line, witnessVkey) === 1679315147`
 */
export function verifyCosignature(checkpointText: string, line: string, key: CosignerKey | string): number {
  const k = typeof key === 'string' ? parseCosignerVkey(key) : key
  const c = parseCosignatureLine(line)
  if (c.name !== k.name || c.keyId !== k.keyId) throw new NoteError('note.unverified', `the line is not signed by ${k.name}+${hex8(k.keyId)}`)
  if (!ed25519.verify(k.publicKey, cosignedMessage(checkpointText, c.time), c.signature)) {
    throw new NoteError('note.bad_signature', `the cosignature by ${k.name}+${hex8(k.keyId)} does not verify`)
  }
  return c.time
}

/**
 * Every signature line of a signed note that names one of the given witness keys (name and key id),
 * checked; lines of other keys are ignored, as the spec requires. `openCosignatures(note, [witnessVkey])`
 */
export function openCosignatures(note: string, keys: ReadonlyArray<CosignerKey | string>): CheckedCosignature[] {
  const { text, lines } = splitNote(note)
  const parsed = keys.map((k) => (typeof k === 'string' ? parseCosignerVkey(k) : k))
  const out: CheckedCosignature[] = []
  for (const l of lines) {
    const key = parsed.find((k) => k.name === l.name && k.keyId === l.keyId)
    if (!key) continue
    const line = `${EM_DASH_SPACE}${l.name} ${toBase64(concatBytes(idBytes(l.keyId), l.signature))}`
    let c: Cosignature
    try {
      c = fromSignatureBytes(l.name, concatBytes(idBytes(l.keyId), l.signature))
    } catch {
      out.push({ witness: key.text, name: key.name, keyId: key.keyId, time: -1, verified: false, line })
      continue
    }
    const verified = ed25519.verify(key.publicKey, cosignedMessage(text, c.time), c.signature)
    out.push({ witness: key.text, name: key.name, keyId: key.keyId, time: c.time, verified, line })
  }
  return out
}

/** The note with extra signature lines appended (each once). `withSignatureLines(note, cosignatureLines)` */
export function withSignatureLines(note: string, lines: readonly string[]): string {
  splitNote(note) // throws on a malformed note
  let out = note
  for (const raw of lines) {
    const line = raw.endsWith('\n') ? raw : `${raw}\n`
    if (!line.startsWith(EM_DASH_SPACE) || line.slice(0, -1).includes('\n')) malformed('a signature line must be one line starting with an em dash')
    if (!out.includes(`\n${line}`)) out += line
  }
  return out
}
