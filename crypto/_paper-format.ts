// The paper container, version 1 (docs/decisions/003-paper-encryption.md has the full layout).
// A STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), laid out like Tink's
// AES-GCM-HKDF streaming AEAD: a per-file salt and nonce prefix in the header, a per-file payload key
// derived by HKDF, then fixed-size chunks sealed with nonce = prefix || counter || last-chunk flag and
// the whole header as associated data. Big-endian throughout.
//
//   offset   size  field
//   0        8     magic "CUSTODYP"
//   8        1     version = 1
//   9        1     algorithm = 1 (AES-256-GCM, HKDF-SHA256)
//   10       1     log2 of the chunk size (6..24: 64 B .. 16 MiB; 16 = 64 KiB by default)
//   11       1     n = byte length of the file id
//   12       16    salt (random)
//   28       7     nonce prefix (random)
//   35       16    key check  = HMAC-SHA256(dataKey, "custody/paper/v1 key check")[0..16]
//   51       n     file id, UTF-8 (a label: which stored file this is)
//   51+n     16    header tag = HMAC-SHA256(headerKey, bytes[0 .. 35) || bytes[51 .. 51+n))[0..16]
//   67+n           end of header; chunks follow, each chunkSize + 16 bytes
//
// payloadKey || headerKey = HKDF-SHA256(ikm = dataKey, salt, info = "custody/paper/v1 keys", 64 bytes)
//
// The key check sits at a fixed offset, depends on nothing else in the header, and is not covered by
// the header tag: a wrong key fails both, an altered header (any byte, the length n included) fails
// exactly one. That is what tells paper.wrong_key from paper.bad_header.
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { abytes, concatBytes, equalBytes, utf8 } from './_bytes.ts'
import { AES_KEY_LENGTH, GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from './_aead.ts'
import { PaperCryptoError } from './_paper-error.ts'

const MAGIC = utf8('CUSTODYP')
const VERSION = 1
const ALG_AES_256_GCM = 1
export const SALT_LENGTH = 16
export const PREFIX_LENGTH = 7
const CHECK_LENGTH = 16
const CHECK_AT = 35
const FIXED = 51 // bytes before the file id
const MIN_LOG2_CHUNK = 6
const MAX_LOG2_CHUNK = 24
export const DEFAULT_CHUNK_SIZE = 65536

const KEY_CHECK_INFO = utf8('custody/paper/v1 key check')
const KEYS_INFO = utf8('custody/paper/v1 keys')
const decoder = new TextDecoder('utf-8', { fatal: true })

/** What a header says, readable without the key. */
export interface PaperHeader {
  version: number
  algorithm: 'aes-256-gcm'
  chunkSize: number
  fileId: string
  /** Header length in bytes; chunk i starts at length + i * (chunkSize + 16). */
  length: number
}

/** A parsed header with its keys, ready to open chunks. */
export interface OpenHeader extends PaperHeader {
  bytes: Uint8Array
  noncePrefix: Uint8Array
  payloadKey: Uint8Array
}

// HMAC and HKDF run a few times per file: noble's pure SHA-256 is fast enough here (crypto/_native.ts).
const hmac16 = (key: Uint8Array, data: Uint8Array): Uint8Array => hmac(sha256, key, data).slice(0, CHECK_LENGTH)

const keyCheck = (dataKey: Uint8Array): Uint8Array => hmac16(dataKey, KEY_CHECK_INFO)

const headerTag = (headerKey: Uint8Array, start: Uint8Array, fileId: Uint8Array): Uint8Array =>
  hmac.create(sha256, headerKey).update(start).update(fileId).digest().slice(0, CHECK_LENGTH)

function deriveKeys(dataKey: Uint8Array, salt: Uint8Array): { payloadKey: Uint8Array; headerKey: Uint8Array } {
  const okm = hkdf(sha256, dataKey, salt, KEYS_INFO, 2 * AES_KEY_LENGTH)
  return { payloadKey: okm.slice(0, AES_KEY_LENGTH), headerKey: okm.slice(AES_KEY_LENGTH) }
}

function chunkSizeLog2(chunkSize: number): number {
  const log2 = Math.log2(chunkSize)
  if (!Number.isInteger(log2) || log2 < MIN_LOG2_CHUNK || log2 > MAX_LOG2_CHUNK) {
    throw new RangeError(`"chunkSize" expected a power of two from ${2 ** MIN_LOG2_CHUNK} to ${2 ** MAX_LOG2_CHUNK}, got ${chunkSize}`)
  }
  return log2
}

function fileIdBytes(fileId: string): Uint8Array {
  if (typeof fileId !== 'string') throw new TypeError(`"fileId" expected string, got ${typeof fileId}`)
  const bytes = utf8(fileId)
  if (bytes.length > 255) throw new RangeError(`"fileId" expected at most 255 UTF-8 bytes, got ${bytes.length}`)
  return bytes
}

/** Builds a header for a new file: its bytes and the keys and nonce prefix to seal chunks with. */
export function makeHeader(dataKey: Uint8Array, chunkSize: number, fileId: string, salt: Uint8Array, noncePrefix: Uint8Array): OpenHeader {
  const log2 = chunkSizeLog2(chunkSize)
  const id = fileIdBytes(fileId)
  abytes(salt, SALT_LENGTH, 'salt')
  abytes(noncePrefix, PREFIX_LENGTH, 'noncePrefix')
  const start = concatBytes(MAGIC, Uint8Array.of(VERSION, ALG_AES_256_GCM, log2, id.length), salt, noncePrefix)
  const { payloadKey, headerKey } = deriveKeys(dataKey, salt)
  const bytes = concatBytes(start, keyCheck(dataKey), id, headerTag(headerKey, start, id))
  return { version: VERSION, algorithm: 'aes-256-gcm', chunkSize, fileId, length: bytes.length, bytes, noncePrefix: noncePrefix.slice(), payloadKey }
}

/**
 * How many header bytes `head` (the first bytes of a ciphertext) needs, or throws paper.bad_header
 * as soon as the bytes present cannot start a version 1 header.
 */
export function headerLengthNeeded(head: Uint8Array): number {
  const seen = Math.min(head.length, MAGIC.length)
  if (!equalBytes(head.subarray(0, seen), MAGIC.subarray(0, seen))) throw new PaperCryptoError('paper.bad_header', 'not a Custody paper ciphertext (bad magic)')
  if (head.length > 8 && head[8] !== VERSION) throw new PaperCryptoError('paper.bad_header', `unknown container version ${head[8]}`)
  if (head.length > 9 && head[9] !== ALG_AES_256_GCM) throw new PaperCryptoError('paper.bad_header', `unknown algorithm ${head[9]}`)
  if (head.length > 10 && (head[10]! < MIN_LOG2_CHUNK || head[10]! > MAX_LOG2_CHUNK))
    throw new PaperCryptoError('paper.bad_header', `chunk size 2^${head[10]} out of range`)
  return head.length > 11 ? FIXED + head[11]! + CHECK_LENGTH : FIXED + CHECK_LENGTH
}

/** Reads a header's fields without a key (nothing here is authenticated yet). `readPaperHeader(firstBytes).fileId` */
export function readPaperHeader(bytes: Uint8Array): PaperHeader {
  abytes(bytes, undefined, 'bytes')
  const length = headerLengthNeeded(bytes)
  if (bytes.length < 12 || bytes.length < length) {
    throw new PaperCryptoError('paper.truncated', `the header needs ${bytes.length < 12 ? 'at least 12' : length} bytes, got ${bytes.length}`)
  }
  let fileId: string
  try {
    fileId = decoder.decode(bytes.subarray(FIXED, FIXED + bytes[11]!))
  } catch {
    throw new PaperCryptoError('paper.bad_header', 'the file id is not UTF-8')
  }
  return { version: VERSION, algorithm: 'aes-256-gcm', chunkSize: 2 ** bytes[10]!, fileId, length }
}

/** Parses and authenticates a complete header under `dataKey`. */
export function openHeader(bytes: Uint8Array, dataKey: Uint8Array): OpenHeader {
  const header = readPaperHeader(bytes)
  const tagAt = header.length - CHECK_LENGTH
  const { payloadKey, headerKey } = deriveKeys(dataKey, bytes.subarray(12, 12 + SALT_LENGTH))
  const checkOk = equalBytes(bytes.subarray(CHECK_AT, FIXED), keyCheck(dataKey))
  const tag = headerTag(headerKey, bytes.subarray(0, CHECK_AT), bytes.subarray(FIXED, tagAt))
  const tagOk = equalBytes(bytes.subarray(tagAt, header.length), tag)
  if (!checkOk && !tagOk) throw new PaperCryptoError('paper.wrong_key', 'the paper was encrypted under another data key')
  if (!checkOk || !tagOk) throw new PaperCryptoError('paper.bad_header', 'the header was altered')
  return { ...header, bytes: bytes.slice(0, header.length), noncePrefix: bytes.slice(12 + SALT_LENGTH, CHECK_AT), payloadKey }
}

/** nonce = prefix (7) || chunk counter (4, big-endian) || last-chunk flag (1). */
export function chunkNonce(prefix: Uint8Array, index: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(GCM_NONCE_LENGTH)
  nonce.set(prefix, 0)
  new DataView(nonce.buffer).setUint32(PREFIX_LENGTH, index)
  nonce[11] = final ? 1 : 0
  return nonce
}

export const MAX_CHUNKS = 2 ** 32

/**
 * Ciphertext bytes for `plaintextLength` bytes: the header, then ⌊len / chunkSize⌋ + 1 chunks (the final one padded).
 * `encryptedPaperLength(0)` is 67 + 65552
 */
export function encryptedPaperLength(plaintextLength: number, opts: { chunkSize?: number; fileId?: string } = {}): number {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE
  chunkSizeLog2(chunkSize)
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0)
    throw new RangeError(`"plaintextLength" expected a non-negative integer, got ${plaintextLength}`)
  const chunks = Math.floor(plaintextLength / chunkSize) + 1
  return FIXED + fileIdBytes(opts.fileId ?? '').length + CHECK_LENGTH + chunks * (chunkSize + GCM_TAG_LENGTH)
}
