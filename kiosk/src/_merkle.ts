// RFC 9162 §2.1 Merkle tree hashing and inclusion-proof verification, for the browser: the server's
// audit/ module hashes with node:crypto, so the kiosk checks proofs with its own small copy over
// @noble/hashes. The log page uses it so a supervisor's browser, not the server, decides "verified".
import { sha256 } from '@noble/hashes/sha2.js'
import { concatBytes, equalBytes } from './_bytes.ts'

/** SHA-256(0x00 || entry) (RFC 9162 §2.1.1). `leafHash(entryBytes)` */
export const leafHash = (entry: Uint8Array): Uint8Array => sha256(concatBytes(Uint8Array.of(0x00), entry))

/** SHA-256(0x01 || left || right). `nodeHash(l, r)` */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(concatBytes(Uint8Array.of(0x01), left, right))

// Arithmetic rather than bit operators: tree sizes may pass 2^31.
const odd = (x: number): boolean => x % 2 === 1
const half = (x: number): number => Math.floor(x / 2)

/**
 * The root an inclusion proof leads to, or null when the proof cannot be for (index, size)
 * (RFC 9162 §2.1.3.2). `rootFromInclusionProof(3, 7, leaf, proof)`
 */
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null
  if (leaf.length !== 32 || proof.some((p) => p.length !== 32)) return null
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) return null // proof longer than the path
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r)
      // Skip the levels where this node is a right-edge orphan that was promoted, not paired.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn)
        sn = half(sn)
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 ? r : null // a shorter proof than the path is not a proof
}

/** True when `proof` shows the leaf at `index` is in the tree of `size` leaves with this root. */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof)
  return computed !== null && equalBytes(computed, root)
}

/**
 * True when `proof` shows the tree of `size1` leaves with `root1` is a prefix of the tree of `size2` leaves
 * with `root2` (RFC 9162 §2.1.4.2). `verifyConsistency(5, 9, proof, oldRoot, newRoot)`
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 1 || size1 > size2) return false
  if (root1.length !== 32 || root2.length !== 32 || proof.some((p) => p.length !== 32)) return false
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2)
  if (proof.length === 0) return false
  const perfect = 2 ** Math.round(Math.log2(size1)) === size1
  const path = perfect ? [root1, ...proof] : [...proof]
  let fn = size1 - 1
  let sn = size2 - 1
  while (odd(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  let fr = path[0]!
  let sr = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      while (!odd(fn) && fn !== 0) {
        fn = half(fn)
        sn = half(sn)
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2)
}
