// SHA-256 through node:crypto (native in Bun and Node): the audit log hashes every event twice
// (leaf and tree node), so a JS implementation would dominate verification time.
import { createHash, hash as oneShot } from 'node:crypto'
import { abytes } from './_bytes.ts'

// crypto.hash (Node >= 20.12, Bun) skips the Hash object: ~1.5x faster on small inputs. The digest
// is copied into a plain Uint8Array: cheaper than a view in JavaScriptCore (reading .buffer is slow),
// and Buffer results would compare unequal to Uint8Array in deep-equality tests.
// Under Bun, its own hasher writes the digest straight into a fresh plain Uint8Array: no Buffer, no copy
// (about a quarter faster per leaf, which the verifier does a million times).
const bunSha256 = (globalThis as { Bun?: { SHA256?: { hash(data: Uint8Array, out: Uint8Array): Uint8Array } } }).Bun?.SHA256
const native: (data: Uint8Array) => Uint8Array = bunSha256
  ? (data) => bunSha256.hash(data, new Uint8Array(32))
  : typeof oneShot === 'function'
    ? (data) => new Uint8Array(oneShot('sha256', data, 'buffer') as unknown as Uint8Array)
    : (data) => new Uint8Array(createHash('sha256').update(data).digest())

/** SHA-256 digest (32 bytes). `toHex(sha256(new Uint8Array()))` starts `e3b0c442` */
export function sha256(data: Uint8Array): Uint8Array {
  return native(abytes(data, undefined, 'data'))
}

let scratch = new Uint8Array(1024)

/**
 * SHA-256 of the concatenation of `parts`, without allocating the concatenation each call
 * (one reused scratch buffer; safe because hashing is synchronous). `sha256Concat([Uint8Array.of(0), leaf])`
 */
export function sha256Concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += abytes(p, undefined, 'part').length
  if (length > scratch.length) scratch = new Uint8Array(Math.max(length, scratch.length * 2))
  let offset = 0
  for (const p of parts) {
    scratch.set(p, offset)
    offset += p.length
  }
  return native(scratch.subarray(0, length))
}
