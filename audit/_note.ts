// Signed notes, c2sp.org/signed-note (the format of Go's golang.org/x/mod/sumdb/note): a text ending
// in a newline, a blank line, then signature lines "— <name> base64(keyID[4] || signature)".
// Only Ed25519 keys (signature type 0x01) are supported.
import { concatBytes, ed25519, fromBase64, sha256, toBase64, utf8 } from '../crypto/index.ts'
import { NoteError } from './_errors.ts'

/** A parsed verifier key: `name+<8 hex key id>+<base64(0x01 || 32-byte public key)>`. */
export interface Vkey {
  name: string
  keyId: number
  publicKey: Uint8Array
  /** The vkey in its text form, as formatVkey writes it. */
  text: string
}

/** One signature line of a note, and whether it verified under a given key. */
export interface NoteSignature {
  name: string
  keyId: number
  /** A verifier with this name and key id was given. */
  known: boolean
  /** The signature verified with that verifier's key. */
  verified: boolean
}

export interface OpenedNote {
  text: string
  signatures: NoteSignature[]
}

const ED25519_TYPE = 0x01
const EM_DASH_SPACE = '\u2014 '
const MAX_SIGNATURES = 100 // the spec asks for a limit of at least 16; Go's note package uses 100
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/ // every ASCII control character except newline
const SPACE_OR_PLUS = /[\s\u0085+]/u // Unicode spaces (Go's unicode.IsSpace) and '+'
const LONE_SURROGATE = /\p{Surrogate}/u

/** Key names are non-empty, with no Unicode spaces and no '+' (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !SPACE_OR_PLUS.test(name) && !CONTROL.test(name) && !LONE_SURROGATE.test(name)
}

function checkName(name: string): void {
  if (!isValidKeyName(name)) throw new NoteError('note.bad_key', `invalid key name ${JSON.stringify(name)}`)
}

/** Key ID: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || publicKey). `keyId('PeterNeumann', pub) === 0xc74f20a3` */
export function keyId(name: string, publicKey: Uint8Array): number {
  checkName(name)
  const h = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey))
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0')

/** Verifier key text. `formatVkey('custody.example/log', pub)` → `custody.example/log+1a2b3c4d+AS...` */
export function formatVkey(name: string, publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new NoteError('note.bad_key', 'public key must be 32 bytes')
  return `${name}+${hex8(keyId(name, publicKey))}+${toBase64(concatBytes(Uint8Array.of(ED25519_TYPE), publicKey))}`
}

/** Strict parse of a verifier key text, checking its key id. `parseVkey('PeterNeumann+c74f20a3+ARpc...')` */
export function parseVkey(text: string): Vkey {
  if (typeof text !== 'string') throw new NoteError('note.bad_key', 'vkey must be a string')
  // Cut at the first two '+' only: names cannot contain '+', base64 keys can.
  const a = text.indexOf('+')
  const b = text.indexOf('+', a + 1)
  if (a < 0 || b < 0) throw new NoteError('note.bad_key', 'vkey must be name+keyid+key')
  const name = text.slice(0, a)
  const id = text.slice(a + 1, b)
  const key64 = text.slice(b + 1)
  checkName(name)
  if (!/^[0-9a-f]{8}$/.test(id)) throw new NoteError('note.bad_key', 'vkey key id must be 8 lowercase hex digits')
  let key: Uint8Array
  try {
    key = fromBase64(key64)
  } catch {
    throw new NoteError('note.bad_key', 'vkey key is not base64')
  }
  if (key.length !== 33 || key[0] !== ED25519_TYPE) throw new NoteError('note.bad_key', 'vkey is not an Ed25519 key (0x01 || 32 bytes)')
  const publicKey = key.slice(1)
  const expected = keyId(name, publicKey)
  if (expected !== parseInt(id, 16)) throw new NoteError('note.bad_key', `vkey key id ${id} does not match its key (${hex8(expected)})`)
  return { name, keyId: expected, publicKey, text }
}

function toVkey(v: Vkey | string): Vkey {
  return typeof v === 'string' ? parseVkey(v) : v
}

function checkText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new NoteError('note.malformed', 'note text must end with a newline')
  if (CONTROL.test(text) || LONE_SURROGATE.test(text)) throw new NoteError('note.malformed', 'note text has a control character or invalid UTF-16')
}

function signatureLine(text: string, name: string, privateKey: Uint8Array): string {
  checkName(name)
  const id = keyId(name, ed25519.publicKey(privateKey))
  const sig = ed25519.sign(privateKey, utf8(text))
  const idBytes = Uint8Array.of(id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255)
  return `${EM_DASH_SPACE}${name} ${toBase64(concatBytes(idBytes, sig))}\n`
}

/** Signs `text` (ending in '\n') as a signed note. `signNote('origin\n5\n<root>\n', 'origin', priv)` */
export function signNote(text: string, name: string, privateKey: Uint8Array): string {
  checkText(text)
  return `${text}\n${signatureLine(text, name, privateKey)}`
}

export interface ParsedLine {
  name: string
  keyId: number
  signature: Uint8Array
}

function parse(note: string): { text: string; lines: ParsedLine[]; block: string } {
  if (typeof note !== 'string') throw new NoteError('note.malformed', 'note must be a string')
  if (CONTROL.test(note) || LONE_SURROGATE.test(note)) throw new NoteError('note.malformed', 'note has a control character or invalid UTF-16')
  // The text ends at the LAST blank line: the text itself may contain blank lines.
  const split = note.lastIndexOf('\n\n')
  if (split < 0 || !note.endsWith('\n')) throw new NoteError('note.malformed', 'no blank line before the signatures')
  const text = note.slice(0, split + 1)
  const block = note.slice(split + 2)
  const raw = block.slice(0, -1).split('\n')
  if (block.length === 0 || raw.length > MAX_SIGNATURES) throw new NoteError('note.malformed', `a note carries 1 to ${MAX_SIGNATURES} signatures`)
  const lines = raw.map((line) => {
    if (!line.startsWith(EM_DASH_SPACE)) throw new NoteError('note.malformed', 'signature line must start with an em dash and a space')
    const rest = line.slice(EM_DASH_SPACE.length)
    const space = rest.indexOf(' ')
    const name = rest.slice(0, space)
    if (space < 0 || !isValidKeyName(name)) throw new NoteError('note.malformed', 'signature line has no valid key name')
    let bytes: Uint8Array
    try {
      bytes = fromBase64(rest.slice(space + 1))
    } catch {
      throw new NoteError('note.malformed', 'signature is not base64')
    }
    if (bytes.length < 5) throw new NoteError('note.malformed', 'signature is shorter than key id + 1 byte')
    const keyId = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0
    return { name, keyId, signature: bytes.subarray(4) }
  })
  return { text, lines, block }
}

/**
 * A note's text and its raw signature lines (name, key id, signature bytes after the id), unverified:
 * for signature types other than Ed25519, such as cosignatures (audit/_cosignature.ts). `splitNote(note).lines`
 */
export function splitNote(note: string): { text: string; lines: ParsedLine[] } {
  const { text, lines } = parse(note)
  return { text, lines }
}

/** Adds one more signature to a signed note (co-signing, key rotation). `cosignNote(note, 'new-name', newPriv)` */
export function cosignNote(note: string, name: string, privateKey: Uint8Array): string {
  const { text, block } = parse(note)
  return `${text}\n${block}${signatureLine(text, name, privateKey)}`
}

/**
 * Parses a signed note and checks every signature whose (name, key id) matches a given verifier;
 * others are reported as unknown, as the spec requires them to be ignored.
 * `openNote(note, [vkey]).signatures[0].verified`
 */
export function openNote(note: string, verifiers: ReadonlyArray<Vkey | string>): OpenedNote {
  const { text, lines } = parse(note)
  const keys = verifiers.map(toVkey)
  const message = utf8(text)
  const signatures = lines.map(({ name, keyId, signature }) => {
    const key = keys.find((k) => k.name === name && k.keyId === keyId)
    const verified = key !== undefined && ed25519.verify(key.publicKey, message, signature)
    return { name, keyId, known: key !== undefined, verified }
  })
  return { text, signatures }
}

/**
 * Opens a note that must carry a valid signature by `vkey`; throws NoteError otherwise, also when
 * any signature line from that key fails (spec: reject the whole note). `verifyNote(note, vkey).text`
 */
export function verifyNote(note: string, vkey: Vkey | string): OpenedNote {
  const opened = openNote(note, [vkey])
  const mine = opened.signatures.filter((s) => s.known)
  if (mine.some((s) => !s.verified)) throw new NoteError('note.bad_signature', 'a signature by the key does not verify')
  if (mine.length === 0) throw new NoteError('note.unverified', 'the note is not signed by the key')
  return opened
}

/** The key id as 8 hex digits, as vkeys and reports show it. `keyIdHex(0xc74f20a3) === 'c74f20a3'` */
export function keyIdHex(id: number): string {
  return hex8(id)
}
