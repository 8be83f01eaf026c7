// The key hierarchy of paper files (R5.1): each file has its own random 32-byte data key;
// the data key is stored wrapped (AES-256-GCM) under a master key kept in the data folder. Rotating
// the master key re-wraps every data key (71 + id bytes each) and never touches the paper ciphertext.
// Master keys carry an id, written into each wrapped key, so old and new coexist during a rotation.
//
// Wrapped data key, version 1 (big-endian):
//   0     8   magic "CUSTODYK"
//   8     1   version = 1
//   9     1   algorithm = 1 (AES-256-GCM)
//   10    1   m = byte length of the master key id (1..255)
//   11    m   master key id, UTF-8
//   11+m  12  nonce (random: at most 2^32 wraps per master key, NIST SP 800-38D §8.3; a rotation resets it)
//   23+m  48  AES-256-GCM(masterKey, nonce, dataKey, ad) = sealed data key || tag
// ad = bytes[0 .. 11+m) || context (UTF-8, the file id): a wrapped key moved to another file's row, or
// relabelled with another master key id, does not unwrap.
//
// AES-KW (RFC 3394) would need no nonce but has no associated data, and Bun's node:crypto lacks it.
//
// Wrapped data key, version 2 (docs/decisions/008-split-master-key.md): sealed to the paper PUBLIC key
// with HPKE (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM), so an upload
// needs no secret at all:
//   0     8   magic "CUSTODYK"
//   8     1   version = 2
//   9     1   algorithm = 2 (HPKE X25519/HKDF-SHA256/AES-256-GCM)
//   10    1   m = byte length of the key id (1..255), e.g. "pk-3fa2…" (hpkeKeyId of the public key)
//   11    m   key id, UTF-8
//   11+m  32  enc (the sender's ephemeral X25519 public key)
//   43+m  48  AES-256-GCM ciphertext of the data key || tag
// info = "custody/paper-key/v2", aad = bytes[0 .. 11+m) || context (the file id).
import { HPKE_ENC_LENGTH, X25519_KEY_LENGTH, hpkeOpen, hpkeSeal } from './_hpke.ts'
import { abytes, concatBytes, equalBytes, utf8 } from './_bytes.ts'
import { AES_KEY_LENGTH, GCM_NONCE_LENGTH, GCM_TAG_LENGTH, aesGcmOpen, aesGcmSeal } from './_aead.ts'
import { PaperCryptoError } from './_paper-error.ts'
import { randomBytes } from './_native.ts'

/** A master key and the id that names it in wrapped keys (e.g. 'master-2026-03'). */
export interface MasterKey {
  readonly id: string
  readonly key: Uint8Array
}

export interface WrapOptions {
  /** What the data key belongs to: the paper file's id. Bound as associated data. */
  context: string
  /** Random bytes for the nonce. Tests pass a fixed source to pin the bytes; never in production. */
  random?: (length: number) => Uint8Array
}

const MAGIC = utf8('CUSTODYK')
const VERSION = 1
const ALG_AES_256_GCM = 1
const SEALED_LENGTH = AES_KEY_LENGTH + GCM_TAG_LENGTH
const decoder = new TextDecoder('utf-8', { fatal: true })
const defaultRandom = randomBytes

function idBytes(id: string): Uint8Array {
  if (typeof id !== 'string') throw new TypeError(`"masterKey.id" expected string, got ${typeof id}`)
  const bytes = utf8(id)
  if (bytes.length < 1 || bytes.length > 255) throw new RangeError(`"masterKey.id" expected 1 to 255 UTF-8 bytes, got ${bytes.length}`)
  return bytes
}

function checkMaster(master: MasterKey): Uint8Array {
  if (typeof master !== 'object' || master === null) throw new TypeError(`"masterKey" expected { id, key }, got ${master === null ? 'null' : typeof master}`)
  abytes(master.key, AES_KEY_LENGTH, 'masterKey.key')
  return idBytes(master.id)
}

function contextBytes(opts: { context: string }): Uint8Array {
  const context = opts?.context
  if (typeof context !== 'string' || context.length === 0) throw new TypeError('"context" expected a non-empty string (the file id)')
  return utf8(context)
}

/** A fresh random 32-byte data key, one per paper file. `const dataKey = generateDataKey()` */
export function generateDataKey(): Uint8Array {
  return defaultRandom(AES_KEY_LENGTH)
}

/** A fresh random master key with its id. `generateMasterKey('master-2026-03')` */
export function generateMasterKey(id: string): MasterKey {
  idBytes(id)
  return { id, key: defaultRandom(AES_KEY_LENGTH) }
}

/**
 * Wraps a data key under a master key, bound to `context` (the file id).
 * `const wrapped = wrapKey(dataKey, master, { context: paperId })` → 71 + id-length bytes
 */
export function wrapKey(dataKey: Uint8Array, masterKey: MasterKey, opts: WrapOptions): Uint8Array {
  abytes(dataKey, AES_KEY_LENGTH, 'dataKey')
  const id = checkMaster(masterKey)
  const context = contextBytes(opts)
  const nonce = abytes((opts.random ?? defaultRandom)(GCM_NONCE_LENGTH), GCM_NONCE_LENGTH, 'random nonce')
  const head = concatBytes(MAGIC, Uint8Array.of(VERSION, ALG_AES_256_GCM, id.length), id)
  return concatBytes(head, nonce, aesGcmSeal(masterKey.key, nonce, dataKey, concatBytes(head, context)))
}

interface Parsed {
  version: 1 | 2
  id: string
  head: Uint8Array
  nonce: Uint8Array
  sealed: Uint8Array
}

const VERSION_PUBLIC = 2
const ALG_HPKE_X25519_AES_256_GCM = 2
const PUBLIC_INFO = utf8('custody/paper-key/v2')

function parse(wrapped: Uint8Array): Parsed {
  abytes(wrapped, undefined, 'wrapped')
  const bad = (why: string) => new PaperCryptoError('key.bad_format', why)
  if (wrapped.length < 12 || !equalBytes(wrapped.subarray(0, 8), MAGIC)) throw bad('not a wrapped Custody data key')
  if (wrapped[8] !== VERSION && wrapped[8] !== VERSION_PUBLIC) throw bad(`unknown wrapped key version ${wrapped[8]}`)
  const version = wrapped[8] as 1 | 2
  if (wrapped[9] !== (version === 1 ? ALG_AES_256_GCM : ALG_HPKE_X25519_AES_256_GCM)) throw bad(`unknown wrapping algorithm ${wrapped[9]}`)
  const m = wrapped[10]!
  const noncePart = version === 1 ? GCM_NONCE_LENGTH : HPKE_ENC_LENGTH
  const expected = 11 + m + noncePart + SEALED_LENGTH
  if (m === 0 || wrapped.length !== expected) throw bad(`expected ${expected} bytes, got ${wrapped.length}`)
  let id: string
  try {
    id = decoder.decode(wrapped.subarray(11, 11 + m))
  } catch {
    throw bad('the master key id is not UTF-8')
  }
  return { version, id, head: wrapped.subarray(0, 11 + m), nonce: wrapped.subarray(11 + m, 11 + m + noncePart), sealed: wrapped.subarray(11 + m + noncePart) }
}

/** The wrapping version: 1 under a plain master key, 2 sealed to the paper public key. */
export function wrappedKeyVersion(wrapped: Uint8Array): 1 | 2 {
  return parse(wrapped).version
}

/** The id of the master key a wrapped key needs, read without any key. `masterKeyIdOf(wrapped) === 'master-2026-03'` */
export function masterKeyIdOf(wrapped: Uint8Array): string {
  return parse(wrapped).id
}

/**
 * Unwraps a data key with the master key its id names, among `masterKeys` (one key or a keyring).
 * Throws key.bad_format, key.unknown_master or key.unwrap_failed.
 * `const dataKey = unwrapKey(wrapped, [current, previous], { context: paperId })`
 */
export function unwrapKey(wrapped: Uint8Array, masterKeys: MasterKey | readonly MasterKey[], opts: { context: string }): Uint8Array {
  const p = parse(wrapped)
  if (p.version !== 1) throw new PaperCryptoError('key.unknown_master', `sealed to public key "${p.id}": it opens only with the key shares`)
  const context = contextBytes(opts)
  const ring: readonly MasterKey[] = Array.isArray(masterKeys) ? masterKeys : [masterKeys as MasterKey]
  for (const k of ring) checkMaster(k)
  const master = ring.find((k) => k.id === p.id)
  if (!master) throw new PaperCryptoError('key.unknown_master', `wrapped under master key "${p.id}", which was not supplied`)
  const dataKey = aesGcmOpen(master.key, p.nonce, p.sealed, concatBytes(p.head, context))
  if (dataKey === null) {
    throw new PaperCryptoError(
      'key.unwrap_failed',
      `does not unwrap under master key "${p.id}" for "${opts.context}" (wrong key bytes, another file's key, or altered)`,
    )
  }
  return dataKey
}

/**
 * Master key rotation, one data key at a time: unwraps with the old key(s), wraps under `newMaster`.
 * A key already under newMaster is checked and returned unchanged, so an interrupted rotation can
 * simply run again. `row.wrapped = rewrapKey(row.wrapped, [oldMaster], newMaster, { context: row.id })`
 */
export function rewrapKey(wrapped: Uint8Array, oldMasters: MasterKey | readonly MasterKey[], newMaster: MasterKey, opts: WrapOptions): Uint8Array {
  checkMaster(newMaster)
  if (masterKeyIdOf(wrapped) === newMaster.id) {
    unwrapKey(wrapped, newMaster, opts)
    return wrapped.slice()
  }
  const dataKey = unwrapKey(wrapped, oldMasters, opts)
  try {
    return wrapKey(dataKey, newMaster, opts)
  } finally {
    dataKey.fill(0)
  }
}

/** The paper public key (docs/decisions/008-split-master-key.md): its id names it in wrapped keys. */
export interface PaperPublicKey {
  readonly id: string
  readonly publicKey: Uint8Array
}

/**
 * Wraps a data key to the paper public key (version 2), bound to `context` (the file id). Needs no secret.
 * `const wrapped = await wrapKeyToPublic(dataKey, { id, publicKey }, { context: fileId })` → 91 + id-length bytes
 */
export async function wrapKeyToPublic(dataKey: Uint8Array, key: PaperPublicKey, opts: { context: string; ephemeralSeed?: Uint8Array }): Promise<Uint8Array> {
  abytes(dataKey, AES_KEY_LENGTH, 'dataKey')
  abytes(key?.publicKey, X25519_KEY_LENGTH, 'publicKey')
  const id = idBytes(key.id)
  const context = contextBytes(opts)
  const head = concatBytes(MAGIC, Uint8Array.of(VERSION_PUBLIC, ALG_HPKE_X25519_AES_256_GCM, id.length), id)
  return concatBytes(head, await hpkeSeal(key.publicKey, dataKey, { info: PUBLIC_INFO, aad: concatBytes(head, context) }, opts.ephemeralSeed))
}

/**
 * Unwraps a version 2 data key with the paper private key (rebuilt from k shares for one print job only).
 * Throws key.bad_format, key.unknown_master (another key id) or key.unwrap_failed.
 * `const dataKey = await unwrapKeyWithPrivate(wrapped, { id, privateKey }, { context: fileId })`
 */
export async function unwrapKeyWithPrivate(wrapped: Uint8Array, key: { id: string; privateKey: Uint8Array }, opts: { context: string }): Promise<Uint8Array> {
  const p = parse(wrapped)
  const context = contextBytes(opts)
  abytes(key?.privateKey, X25519_KEY_LENGTH, 'privateKey')
  if (p.version !== 2 || p.id !== key.id) throw new PaperCryptoError('key.unknown_master', `wrapped under "${p.id}", not the public key "${key.id}"`)
  const dataKey = await hpkeOpen(key.privateKey, concatBytes(p.nonce, p.sealed), { info: PUBLIC_INFO, aad: concatBytes(p.head, context) })
  if (dataKey === null)
    throw new PaperCryptoError('key.unwrap_failed', `does not unwrap under "${p.id}" for "${opts.context}" (wrong key, another file's key, or altered)`)
  return dataKey
}

/**
 * Moves a version 1 data key (plain master key) to the paper public key: the conversion a key ceremony does.
 * `row.wrapped = await rewrapToPublic(row.wrapped, legacyMasters, publicKey, { context: row.fileId })`
 */
export async function rewrapToPublic(
  wrapped: Uint8Array,
  oldMasters: MasterKey | readonly MasterKey[],
  key: PaperPublicKey,
  opts: { context: string },
): Promise<Uint8Array> {
  if (parse(wrapped).version === 2 && masterKeyIdOf(wrapped) === key.id) return wrapped.slice()
  const dataKey = unwrapKey(wrapped, oldMasters, opts)
  try {
    return await wrapKeyToPublic(dataKey, key, opts)
  } finally {
    dataKey.fill(0)
  }
}
