// RFC 9162 §2.1 Merkle tree (same hashing as RFC 6962): leaves and interior nodes are domain
// separated (0x00 / 0x01) so a leaf can never pass for a node.
//
// Storage model: the store keeps the hash of every PERFECT subtree, node(level, index) = MTH of
// leaves [index·2^level, (index+1)·2^level). Any subtree the RFC algorithms need is either such a
// node or lies on the right edge of the tree, where it is a fold of the perfect pieces of the tree
// size's binary decomposition. So every proof costs O(log n) lookups.
import { abytes, sha256, sha256Concat, toHex } from '../crypto/index.ts'
import { ProofError } from './_errors.ts'

/** MTH of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0))

const LEAF_PREFIX = Uint8Array.of(0x00)
const NODE = new Uint8Array(65) // reused scratch: hashing is synchronous
NODE[0] = 0x01

/** Leaf hash, SHA-256(0x00 || entry). `leafHash(encodeEvent(e))` */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256Concat([LEAF_PREFIX, entry])
}

/**
 * Leaf hash of an input already laid out as 0x00 || entry (saves a copy on the verifier's hot path).
 * `leafHashOfPrefixed(buf)` where buf[0] === 0
 */
export function leafHashOfPrefixed(input: Uint8Array): Uint8Array {
  if (input[0] !== 0x00) throw new ProofError('proof.bad_argument', 'leaf input must start with 0x00')
  return sha256(input)
}

/** Interior node hash, SHA-256(0x01 || left || right). `nodeHash(l, r)` */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  NODE.set(abytes(left, 32, 'left'), 1)
  NODE.set(abytes(right, 32, 'right'), 33)
  return sha256(NODE)
}

/** Where the store keeps perfect subtree hashes: level 0 holds leaf hashes. */
export interface NodeSource {
  node(level: number, index: number): Uint8Array
}

/** One perfect subtree hash to persist. */
export interface StoredNode {
  level: number
  index: number
  hash: Uint8Array
}

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ProofError('proof.bad_argument', `${name} must be a non-negative safe integer, got ${value}`)
  }
}

function checkHash(hash: Uint8Array, name: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    throw new ProofError('proof.bad_hash', `${name} must be 32 bytes, got ${hash instanceof Uint8Array ? hash.length : typeof hash}`)
  }
}

// Plain arithmetic, not bit operators: sizes may exceed 2^31 and JS bit operators are 32-bit.
const half = (x: number): number => Math.floor(x / 2)
const odd = (x: number): boolean => x % 2 === 1

const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n))

/** Largest power of two strictly less than n (n >= 2): the split point k of RFC 9162 §2.1.1. */
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** The perfect pieces of [0, size), left to right: binary decomposition of size. */
function pieces(size: number): Array<{ level: number; index: number; start: number; width: number }> {
  const out: Array<{ level: number; index: number; start: number; width: number }> = []
  let start = 0
  let level = 0
  while (2 ** (level + 1) <= size) level++
  for (; level >= 0; level--) {
    const width = 2 ** level
    if (start + width <= size) {
      out.push({ level, index: start / width, start, width })
      start += width
    }
  }
  return out
}

/**
 * MTH over leaves [start, end) of a tree whose perfect subtrees are in `src`, for ranges that are
 * subtrees of some tree (start aligned to the covering power of two); other ranges also work but
 * cost more lookups.
 */
class RangeHasher {
  private readonly parts: ReturnType<typeof pieces>
  private suffix: Array<Uint8Array | undefined> = []
  constructor(
    private readonly src: NodeSource,
    private readonly size: number,
  ) {
    this.parts = pieces(size)
  }

  /** Right fold of pieces[i..]: the hash of the right-edge subtree starting at pieces[i].start. */
  private fold(i: number): Uint8Array {
    let h = this.suffix[i]
    if (h) return h
    const p = this.parts[i]!
    const own = this.src.node(p.level, p.index)
    h = i === this.parts.length - 1 ? own : nodeHash(own, this.fold(i + 1))
    this.suffix[i] = h
    return h
  }

  hash(start: number, end: number): Uint8Array {
    const n = end - start
    if (n === 0) return EMPTY_ROOT
    if (isPowerOfTwo(n) && start % n === 0) return this.src.node(Math.log2(n), start / n)
    if (end === this.size) {
      const i = this.parts.findIndex((p) => p.start === start)
      if (i >= 0) return this.fold(i)
    }
    const k = split(n)
    return nodeHash(this.hash(start, start + k), this.hash(start + k, end))
  }
}

/**
 * The nodes to persist when appending leaf `index`: the leaf itself plus every perfect parent it
 * completes (left siblings read from `src`). `for (const n of nodesToStore(i, h, store)) store.put(n)`
 */
export function nodesToStore(index: number, leaf: Uint8Array, src: NodeSource): StoredNode[] {
  checkCount(index, 'index')
  checkHash(leaf, 'leafHash')
  const out: StoredNode[] = [{ level: 0, index, hash: leaf }]
  let level = 0
  let i = index
  let hash = leaf
  while (odd(i)) {
    hash = nodeHash(src.node(level, i - 1), hash)
    level++
    i = half(i)
    out.push({ level, index: i, hash })
  }
  return out
}

/** MTH of leaves [start, end) from stored perfect nodes. `subtreeHash(store, 0, 5)` */
export function subtreeHash(src: NodeSource, start: number, end: number): Uint8Array {
  checkCount(start, 'start')
  checkCount(end, 'end')
  if (start > end) throw new ProofError('proof.bad_argument', `start ${start} > end ${end}`)
  return new RangeHasher(src, end).hash(start, end)
}

/** Root of the tree of the first `size` leaves. `rootAt(store, 1000)` */
export function rootAt(src: NodeSource, size: number): Uint8Array {
  checkCount(size, 'size')
  return new RangeHasher(src, size).hash(0, size)
}

/** Root over a list of leaf hashes (RFC 9162 §2.1.1 MTH). `rootOf(leaves.map(leafHash))` */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  const f = new Frontier()
  for (const h of leafHashes) f.push(h)
  return f.root()
}

/**
 * Inclusion proof for leaf `index` in the tree of `size` leaves, ordered leaf-to-root as RFC 9162
 * §2.1.3.1 PATH. `inclusionProof(store, 5, 8)` → 3 hashes
 */
export function inclusionProof(src: NodeSource, index: number, size: number): Uint8Array[] {
  checkCount(index, 'index')
  checkCount(size, 'size')
  if (index >= size) throw new ProofError('proof.index_out_of_range', `index ${index} >= size ${size}`)
  const ranges = new RangeHasher(src, size)
  const path: Uint8Array[] = []
  // PATH(m, D[start:end]) iteratively: collect siblings root-to-leaf, then reverse.
  let start = 0
  let end = size
  while (end - start > 1) {
    const k = split(end - start)
    if (index < start + k) {
      path.push(ranges.hash(start + k, end))
      end = start + k
    } else {
      path.push(ranges.hash(start, start + k))
      start += k
    }
  }
  return path.reverse()
}

/**
 * Consistency proof between the trees of `size1` and `size2` leaves, RFC 9162 §2.1.4.1 PROOF
 * (0 < size1 <= size2; empty when equal). `consistencyProof(store, 6, 8)`
 */
export function consistencyProof(src: NodeSource, size1: number, size2: number): Uint8Array[] {
  checkCount(size1, 'size1')
  checkCount(size2, 'size2')
  if (size1 > size2) throw new ProofError('proof.sizes_out_of_order', `size1 ${size1} > size2 ${size2}`)
  if (size1 === 0) throw new ProofError('proof.empty_tree', 'no consistency proof from an empty tree')
  const ranges = new RangeHasher(src, size2)
  const proof: Uint8Array[] = []
  // SUBPROOF(m, D[start:end], b) iteratively; hashes are appended after the recursive part, so collect and reverse.
  let m = size1
  let start = 0
  let end = size2
  let b = true
  while (m !== end - start) {
    const n = end - start
    const k = split(n)
    if (m <= k) {
      proof.push(ranges.hash(start + k, end))
      end = start + k
    } else {
      proof.push(ranges.hash(start, start + k))
      m -= k
      start += k
      b = false
    }
  }
  if (!b) proof.push(ranges.hash(start, end))
  return proof.reverse()
}

function mismatch(what: string): never {
  throw new ProofError('proof.root_mismatch', what)
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2); throws ProofError on any failure.
 * `verifyInclusion(leafHash(entry), 5, 8, proof, root)`
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkCount(index, 'index')
  checkCount(size, 'size')
  checkHash(leaf, 'leafHash')
  checkHash(root, 'root')
  if (!Array.isArray(proof)) throw new ProofError('proof.bad_argument', 'proof must be an array')
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`))
  if (index >= size) throw new ProofError('proof.index_out_of_range', `index ${index} >= size ${size}`)
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) throw new ProofError('proof.wrong_length', `proof has more than the ${proof.length - 1} hashes expected`)
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r)
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
  if (sn !== 0) throw new ProofError('proof.wrong_length', `proof of ${proof.length} hashes is too short for index ${index} in size ${size}`)
  if (!sameHash(r, root)) mismatch(`inclusion proof leads to ${toHex(r)}, not the given root`)
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2); throws ProofError on any failure.
 * `verifyConsistency(6, 8, proof, root6, root8)`
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): void {
  checkCount(size1, 'size1')
  checkCount(size2, 'size2')
  if (!Array.isArray(proof)) throw new ProofError('proof.bad_argument', 'proof must be an array')
  if (size1 > size2) throw new ProofError('proof.sizes_out_of_order', `size1 ${size1} > size2 ${size2}`)
  // RFC 9162 §2.1.4 defines PROOF only for 0 < m: an empty tree is trivially a prefix, so a
  // "proof" from it checks nothing and is refused (the shared vectors require this).
  if (size1 === 0) throw new ProofError('proof.empty_tree', 'consistency from an empty tree proves nothing')
  if (size1 === size2) {
    // Same tree: nothing to prove but equality. The roots are compared as given; the
    // transparency-dev vectors accept equal roots here whatever their length.
    if (proof.length !== 0) throw new ProofError('proof.wrong_length', 'equal sizes need an empty proof')
    if (!(root1 instanceof Uint8Array) || !(root2 instanceof Uint8Array)) throw new ProofError('proof.bad_hash', 'roots must be byte arrays')
    if (!sameHash(root1, root2)) mismatch('equal sizes but different roots')
    return
  }
  checkHash(root1, 'root1')
  checkHash(root2, 'root2')
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`))
  if (proof.length === 0) throw new ProofError('proof.wrong_length', 'empty proof for different sizes')
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof] // step 2: a perfect first tree is its own first node
  let fn = size1 - 1
  let sn = size2 - 1
  while (odd(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  let fr = path[0]!
  let sr = path[0]!
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!
    if (sn === 0) throw new ProofError('proof.wrong_length', 'proof is too long')
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
  if (sn !== 0) throw new ProofError('proof.wrong_length', 'proof is too short')
  if (!sameHash(fr, root1)) mismatch('proof does not lead to root1')
  if (!sameHash(sr, root2)) mismatch('proof does not lead to root2')
}

/**
 * Compact range over a growing prefix of leaves: O(log n) memory, one nodeHash per leaf amortised.
 * `const f = new Frontier(); for (const h of hashes) f.push(h); f.root()`
 */
export class Frontier {
  // nodes[i] is the perfect subtree at the i-th set bit of size, from the highest bit down.
  private readonly nodes: Uint8Array[] = []
  private count = 0

  /** Number of leaves pushed. */
  get size(): number {
    return this.count
  }

  /** Appends one leaf hash. */
  push(leaf: Uint8Array): void {
    checkHash(leaf, 'leafHash')
    let hash = leaf
    // Each trailing 1 bit of the old size is a perfect subtree the new leaf completes.
    for (let s = this.count; odd(s); s = half(s)) hash = nodeHash(this.nodes.pop()!, hash)
    this.nodes.push(hash)
    this.count++
  }

  /**
   * Appends the 2^height leaves whose perfect subtree hash is `hash` (e.g. a CompactRange node);
   * the size so far must be a multiple of 2^height, as it is when a range's nodes are pushed in order.
   */
  pushSubtree(height: number, hash: Uint8Array): void {
    checkHash(hash, 'subtree hash')
    const width = 2 ** height
    if (!Number.isSafeInteger(width) || this.count % width !== 0) {
      throw new ProofError('proof.bad_argument', `a subtree of 2^${height} leaves cannot follow ${this.count} leaves`)
    }
    for (let s = this.count / width; odd(s); s = half(s)) hash = nodeHash(this.nodes.pop()!, hash)
    this.nodes.push(hash)
    this.count += width
  }

  /** Root of the leaves so far (RFC 9162 §2.1.1), EMPTY_ROOT when none. */
  root(): Uint8Array {
    if (this.nodes.length === 0) return EMPTY_ROOT
    let hash = this.nodes[this.nodes.length - 1]!
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash(this.nodes[i]!, hash)
    return hash
  }
}

/**
 * Compact range: leaves [begin, end) of a larger tree held as its largest aligned perfect subtrees
 * (a subtree of 2^h leaves always starts at a multiple of 2^h), O(log n) of them. A verifier that
 * reads the second half of a log in another thread hands these to the first half's Frontier
 * (Frontier.pushSubtree, in order) instead of every leaf. `new CompactRange(500).push(leaf)`
 */
export class CompactRange {
  private readonly stack: Array<[height: number, hash: Uint8Array]> = []
  private next: number

  constructor(readonly begin: number) {
    if (!Number.isSafeInteger(begin) || begin < 0) throw new ProofError('proof.bad_argument', `range start ${begin} must be a non-negative integer`)
    this.next = begin
  }

  /** One past the last leaf pushed. */
  get end(): number {
    return this.next
  }

  /** Appends the leaf hash at position `end`. */
  push(leaf: Uint8Array): void {
    checkHash(leaf, 'leafHash')
    let hash = leaf
    let height = 0
    // The new node is a right child when bit `height` of its position is 1; its left sibling is the
    // top of the stack if that has the same height (otherwise the sibling starts before `begin`).
    for (let p = this.next; odd(p); p = half(p)) {
      const top = this.stack[this.stack.length - 1]
      if (!top || top[0] !== height) break
      hash = nodeHash(top[1], hash)
      this.stack.pop()
      height++
    }
    this.stack.push([height, hash])
    this.next++
  }

  /** The range's subtrees, left to right, as [height, hash]. */
  nodes(): Array<[height: number, hash: Uint8Array]> {
    return this.stack.map(([h, x]) => [h, x])
  }
}
