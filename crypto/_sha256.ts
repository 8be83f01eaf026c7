// SHA-256 (FIPS 180-4). Pure (@noble/hashes) unless the host installed a native one (crypto/_native.ts):
// the audit log hashes every event twice (leaf and tree node), so the server plugs in its native hasher.
import { abytes } from './_bytes.ts'
import { impl } from './_native.ts'

/** SHA-256 digest (32 bytes). `toHex(sha256(new Uint8Array()))` starts `e3b0c442` */
export function sha256(data: Uint8Array): Uint8Array {
  return impl.sha256(abytes(data, undefined, 'data'))
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
  return impl.sha256(scratch.subarray(0, length))
}
