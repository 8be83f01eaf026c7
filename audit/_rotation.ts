// Log key rotation. A 'log.key_rotated' entry carries a statement signed by BOTH keys, so trust
// passes from the old key to the new one only with the old key's consent and proof that the new
// key's holder has it. The statement names the entry's index, so it cannot be replayed elsewhere.
import { ed25519, fromBase64, toBase64, utf8 } from '../crypto/index.ts'
import { AuditError } from './_errors.ts'
import { formatVkey, parseVkey, type Vkey } from './_note.ts'

/** The action of a rotation entry. */
export const KEY_ROTATED = 'log.key_rotated'

/** `data` of a 'log.key_rotated' entry. */
export type KeyRotationData = { old: string; new: string; statement: string; oldSig: string; newSig: string }

/** A rotation entry that does not prove both keys agreed. */
export class KeyRotationError extends AuditError<'key.rotation_invalid'> {}

/** The text both keys sign. `rotationStatement(oldVkey, newVkey, 42)` */
export function rotationStatement(oldVkey: string, newVkey: string, index: number): string {
  return `custody key rotation\n${oldVkey}\n${newVkey}\n${index}\n`
}

/**
 * Builds the data of the rotation entry at `index`, signed by both keys.
 * `keyRotationData({ index, old: { name, privateKey }, new: { name, privateKey } })`
 */
export function keyRotationData(args: {
  index: number
  old: { name: string; privateKey: Uint8Array }
  new: { name: string; privateKey: Uint8Array }
}): KeyRotationData {
  const oldVkey = formatVkey(args.old.name, ed25519.publicKey(args.old.privateKey))
  const newVkey = formatVkey(args.new.name, ed25519.publicKey(args.new.privateKey))
  const statement = rotationStatement(oldVkey, newVkey, args.index)
  const message = utf8(statement)
  return {
    old: oldVkey,
    new: newVkey,
    statement,
    oldSig: toBase64(ed25519.sign(args.old.privateKey, message)),
    newSig: toBase64(ed25519.sign(args.new.privateKey, message)),
  }
}

function invalid(why: string): never {
  throw new KeyRotationError('key.rotation_invalid', why)
}

function signatureOk(vkey: Vkey, message: Uint8Array, sig64: unknown): boolean {
  if (typeof sig64 !== 'string') return false
  try {
    return ed25519.verify(vkey.publicKey, message, fromBase64(sig64))
  } catch {
    return false
  }
}

/** Checks the data of the rotation entry at `index`; throws KeyRotationError. `checkKeyRotation(event.data, event.index)` */
export function checkKeyRotation(data: unknown, index: number): { old: Vkey; new: Vkey } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) invalid('data must be an object')
  const d = data as Record<string, unknown>
  const keys = Object.keys(d).sort().join(',')
  if (keys !== 'new,newSig,old,oldSig,statement') invalid('data must have exactly old, new, statement, oldSig, newSig')
  let oldKey: Vkey
  let newKey: Vkey
  try {
    oldKey = parseVkey(d.old as string)
    newKey = parseVkey(d.new as string)
  } catch (err) {
    return invalid(`bad vkey: ${(err as Error).message}`)
  }
  if (oldKey.text === newKey.text) invalid('old and new key are the same')
  if (d.statement !== rotationStatement(oldKey.text, newKey.text, index)) invalid('statement does not name these keys and this index')
  const message = utf8(d.statement as string)
  if (!signatureOk(oldKey, message, d.oldSig)) invalid('the old key did not sign the statement')
  if (!signatureOk(newKey, message, d.newSig)) invalid('the new key did not sign the statement')
  return { old: oldKey, new: newKey }
}
