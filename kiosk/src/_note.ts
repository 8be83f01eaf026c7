// C2SP signed notes (c2sp.org/signed-note) carrying tlog checkpoints (c2sp.org/tlog-checkpoint), parsed
// and checked in the browser. The verifier key also comes from the server, so a good signature shows the
// checkpoint and the proofs agree with that key; comparing the key ID with one kept on paper is what ties
// it to this log (the page shows the key ID for that reason).
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, equalBytes, fromBase64, utf8 } from './_bytes.ts'

export interface NoteSignature {
  name: string
  keyId: Uint8Array
  signature: Uint8Array
}
export interface SignedNote {
  text: string
  signatures: NoteSignature[]
}
export interface Checkpoint {
  origin: string
  size: number
  root: Uint8Array
  extensions: string[]
}
export interface VerifierKey {
  name: string
  keyId: Uint8Array
  publicKey: Uint8Array
}

const ED25519 = 0x01 // signature type byte of an Ed25519 key (c2sp.org/signed-note)
const SIG_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/

/** Splits a signed note into its text (ending in a newline) and its signature lines. */
export function parseNote(note: string): SignedNote {
  const cut = note.lastIndexOf('\n\n')
  if (cut < 0 || !note.endsWith('\n')) throw new Error('signed note: no blank line before the signatures')
  const text = note.slice(0, cut + 1)
  const signatures = note
    .slice(cut + 2, -1)
    .split('\n')
    .map((line) => {
      const m = SIG_LINE.exec(line)
      if (!m) throw new Error(`signed note: bad signature line "${line.slice(0, 40)}"`)
      const raw = fromBase64(m[2]!)
      if (raw.length < 5) throw new Error('signed note: signature too short')
      return { name: m[1]!, keyId: raw.slice(0, 4), signature: raw.slice(4) }
    })
  return { text, signatures }
}

/** The checkpoint body: origin, tree size, base64 root hash, then optional extension lines. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n')
  if (lines.length < 4 || lines.at(-1) !== '') throw new Error('checkpoint: expected origin, size and root lines')
  const [origin, size, root] = lines as [string, string, string]
  if (!origin) throw new Error('checkpoint: empty origin')
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) throw new Error(`checkpoint: bad size "${size}"`)
  const rootHash = fromBase64(root)
  if (rootHash.length !== 32) throw new Error('checkpoint: root hash must be 32 bytes')
  return { origin, size: Number(size), root: rootHash, extensions: lines.slice(3, -1) }
}

/** Key ID: the first 4 bytes of SHA-256(name || "\n" || type || public key). */
export const keyIdOf = (name: string, publicKey: Uint8Array): Uint8Array =>
  sha256(concatBytes(utf8(name), utf8('\n'), Uint8Array.of(ED25519), publicKey)).slice(0, 4)

/** Parses a verifier key line `name+hexkeyid+base64(0x01||pubkey)` and checks its key ID. */
export function parseVkey(line: string): VerifierKey {
  // Names hold no '+', but base64 may: split at the first two only.
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(line.trim())
  if (!m) throw new Error('vkey: expected name+keyid+key')
  const [, name, hexId, b64] = m as unknown as [string, string, string, string]
  const raw = fromBase64(b64)
  if (raw.length !== 33 || raw[0] !== ED25519) throw new Error('vkey: not an Ed25519 key')
  const publicKey = raw.slice(1)
  const keyId = keyIdOf(name, publicKey)
  if (
    !equalBytes(
      keyId,
      Uint8Array.from(hexId.match(/../g)!, (h) => parseInt(h, 16)),
    )
  )
    throw new Error('vkey: key ID does not match the key')
  return { name, keyId, publicKey }
}

/** True when the note carries a valid signature by `key` (matched by name and key ID). */
export function verifyNote(note: SignedNote, key: VerifierKey): boolean {
  return note.signatures.some(
    (s) => s.name === key.name && equalBytes(s.keyId, key.keyId) && s.signature.length === 64 && ed25519.verify(s.signature, utf8(note.text), key.publicKey),
  )
}
