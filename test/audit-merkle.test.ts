import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  CompactRange,
  EMPTY_ROOT,
  Frontier,
  ProofError,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesToStore,
  rootAt,
  rootOf,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
  type NodeSource,
} from '../audit/index.ts'
import { fromHex, sha256, toHex, utf8 } from '../crypto/index.ts'

// RFC 6962 test data used by the Certificate Transparency and transparency-dev reference code.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex)
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]

/** A store as the server keeps it: every perfect subtree hash, written by nodesToStore. Counts lookups. */
function memoryStore(leafHashes: Uint8Array[]): NodeSource & { lookups: number } {
  const levels: Uint8Array[][] = []
  const store = {
    lookups: 0,
    node(level: number, index: number): Uint8Array {
      store.lookups++
      const h = levels[level]?.[index]
      if (!h) throw new Error(`no node (${level}, ${index})`)
      return h
    },
  }
  leafHashes.forEach((h, i) => {
    for (const n of nodesToStore(i, h, store)) (levels[n.level] ??= [])[n.index] = n.hash
  })
  store.lookups = 0
  return store
}

// ---- An independent reference: RFC 9162 §2.1 written out recursively over the plain leaf list. ----
function split(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0))
  if (d.length === 1) return d[0]! // d holds leaf hashes
  const k = split(d.length)
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)))
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return []
  const k = split(d.length)
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))]
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length
  if (m === n) return b ? [] : [mth(d)]
  const k = split(n)
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))]
}
const proof = (m: number, d: Uint8Array[]): Uint8Array[] => subproof(m, d, true)

const hex = (hs: Uint8Array[]): string[] => hs.map(toHex)
const leavesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => leafHash(utf8(`entry ${i}`)))

function flipped(hashes: Uint8Array[], i: number, bit: number): Uint8Array[] {
  return hashes.map((h, j) => {
    if (j !== i) return h
    const c = h.slice()
    c[bit >> 3]! ^= 1 << (bit & 7)
    return c
  })
}

function proofError(f: () => void): string {
  try {
    f()
  } catch (err) {
    if (err instanceof ProofError) return err.code
    throw err
  }
  return 'no error'
}

describe('hashes (RFC 9162 §2.1.1)', () => {
  test('the empty tree hash is SHA-256 of nothing', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(rootOf([]))).toBe(toHex(EMPTY_ROOT))
    expect(toHex(rootAt(memoryStore([]), 0))).toBe(toHex(EMPTY_ROOT))
  })
  test('leaves and nodes are domain-separated (known answers)', () => {
    expect(toHex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
    expect(toHex(leafHash(fromHex('00')))).toBe('96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7')
    expect(toHex(nodeHash(leafHash(LEAVES[0]!), leafHash(LEAVES[1]!)))).toBe(ROOTS[1])
  })
  test('nodeHash refuses anything but two 32-byte hashes', () => {
    expect(() => nodeHash(new Uint8Array(31), new Uint8Array(32))).toThrow('"left" expected 32 bytes, got 31')
  })
})

describe('RFC 6962 reference tree (the 8 standard leaves)', () => {
  const hashes = LEAVES.map(leafHash)
  test.each(ROOTS.map((root, i) => [i + 1, root] as const))('the root of the first %i leaves is %s', (size, root) => {
    expect(toHex(rootOf(hashes.slice(0, size)))).toBe(root)
    expect(toHex(rootAt(memoryStore(hashes), size))).toBe(root)
    expect(toHex(subtreeHash(memoryStore(hashes), 0, size))).toBe(root)
    const f = new Frontier()
    hashes.slice(0, size).forEach((h) => f.push(h))
    expect(toHex(f.root())).toBe(root)
  })
  test('the inclusion proof of leaf 0 in 8 is the published one', () => {
    expect(hex(inclusionProof(memoryStore(hashes), 0, 8))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ])
  })
  test.each([
    [
      1,
      8,
      [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    ],
    [
      6,
      8,
      [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    ],
    [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
    [1, 1, []],
  ] as const)('the consistency proof from %i to %i is the published one', (m, n, want) => {
    const got = consistencyProof(memoryStore(hashes), m, n)
    expect(hex(got)).toEqual(want)
    verifyConsistency(m, n, got, fromHex(ROOTS[m - 1]!), fromHex(ROOTS[n - 1]!))
  })
})

describe('nodesToStore', () => {
  test('appending leaf i stores the leaf and each perfect parent it completes', () => {
    const hashes = leavesOf(16)
    const store = memoryStore(hashes.slice(0, 15))
    const nodes = nodesToStore(15, hashes[15]!, store)
    expect(nodes.map((n) => [n.level, n.index])).toEqual([
      [0, 15],
      [1, 7],
      [2, 3],
      [3, 1],
      [4, 0],
    ])
    expect(toHex(nodes[4]!.hash)).toBe(toHex(mth(hashes)))
    expect(nodesToStore(4, hashes[4]!, store).map((n) => [n.level, n.index])).toEqual([[0, 4]]) // even index: completes nothing
  })
})

describe('proofs against the brute-force reference, every tree up to 130 leaves', () => {
  const N = 130
  const hashes = leavesOf(N)
  const store = memoryStore(hashes)
  const roots = Array.from({ length: N + 1 }, (_, n) => mth(hashes.slice(0, n)))

  test('subtreeHash and rootAt equal MTH for every prefix and for every range, aligned or not', () => {
    for (let n = 0; n <= N; n++) expect(toHex(rootAt(store, n))).toBe(toHex(roots[n]!))
    for (let s = 0; s < 40; s++) for (let e = s; e <= 40; e++) expect(toHex(subtreeHash(store, s, e))).toBe(toHex(mth(hashes.slice(s, e))))
  })

  test('every inclusion proof equals PATH, verifies, and fails with any one bit flipped', () => {
    for (let n = 1; n <= N; n++) {
      const leaves = hashes.slice(0, n)
      for (let i = 0; i < n; i++) {
        const p = inclusionProof(store, i, n)
        expect(hex(p)).toEqual(hex(path(i, leaves)))
        verifyInclusion(hashes[i]!, i, n, p, roots[n]!)
        for (let j = 0; j < p.length; j++) {
          expect(proofError(() => verifyInclusion(hashes[i]!, i, n, flipped(p, j, (i * 31 + j * 7) % 256), roots[n]!))).toBe('proof.root_mismatch')
        }
      }
    }
  })

  test('every consistency proof equals PROOF, verifies, and fails with any one bit flipped', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyProof(store, m, n)
        expect(hex(p)).toEqual(hex(proof(m, hashes.slice(0, n))))
        verifyConsistency(m, n, p, roots[m]!, roots[n]!)
        for (let j = 0; j < p.length; j++) {
          expect(proofError(() => verifyConsistency(m, n, flipped(p, j, (m * 13 + j * 5) % 256), roots[m]!, roots[n]!))).toBe('proof.root_mismatch')
        }
      }
    }
  })

  test('the frontier root equals MTH after every push', () => {
    const f = new Frontier()
    for (let n = 1; n <= N; n++) {
      f.push(hashes[n - 1]!)
      expect(f.size).toBe(n)
      expect(toHex(f.root())).toBe(toHex(roots[n]!))
    }
  })
})

describe('compact ranges join a frontier (how the CLI verifies an export in two threads)', () => {
  const hashes = leavesOf(70)
  const roots = Array.from({ length: 71 }, (_, n) => rootOf(hashes.slice(0, n)))

  test('every split point and end: the first part pushed leaf by leaf, the rest as a range, gives MTH', () => {
    for (let end = 0; end <= 70; end++) {
      for (let begin = 0; begin <= end; begin++) {
        const f = new Frontier()
        for (let i = 0; i < begin; i++) f.push(hashes[i]!)
        const range = new CompactRange(begin)
        for (let i = begin; i < end; i++) range.push(hashes[i]!)
        expect(range.end).toBe(end)
        for (const [height, hash] of range.nodes()) f.pushSubtree(height, hash)
        expect(f.size).toBe(end)
        expect(toHex(f.root())).toBe(toHex(roots[end]!))
      }
    }
  })

  test('a range holds O(log n) nodes, each aligned to its own size', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), (begin, length) => {
        const range = new CompactRange(begin)
        for (let i = 0; i < length; i++) range.push(hashes[i % 70]!)
        let at = begin
        for (const [height] of range.nodes()) {
          expect(at % 2 ** height).toBe(0)
          at += 2 ** height
        }
        expect(at).toBe(begin + length)
        expect(range.nodes().length).toBeLessThanOrEqual(2 * Math.log2(length + 2) + 2)
      }),
      { numRuns: 60 },
    )
  })

  test('a subtree that does not start at a multiple of its size is refused', () => {
    const f = new Frontier()
    f.push(hashes[0]!)
    expect(proofError(() => f.pushSubtree(1, hashes[1]!))).toBe('proof.bad_argument')
    expect(proofError(() => f.pushSubtree(0, new Uint8Array(31)))).toBe('proof.bad_hash')
    expect(proofError(() => new CompactRange(-1))).toBe('proof.bad_argument')
  })
})

describe('verification refuses', () => {
  const hashes = leavesOf(21)
  const store = memoryStore(hashes)
  const root = rootAt(store, 21)
  const p = inclusionProof(store, 5, 21)

  test.each([
    ['a wrong index', () => verifyInclusion(hashes[5]!, 4, 21, p, root), 'proof.root_mismatch'],
    // Size +1 can keep the same path shape (a root is bound to its size by the signed checkpoint, not the
    // proof), so the tampered sizes here change the shape, as the transparency-dev vectors do (×2, ÷2).
    ['a doubled size', () => verifyInclusion(hashes[5]!, 5, 42, p, root), 'proof.wrong_length'],
    ['a halved size', () => verifyInclusion(hashes[5]!, 5, 10, p, root), 'proof.wrong_length'],
    ['an index past the end', () => verifyInclusion(hashes[5]!, 21, 21, p, root), 'proof.index_out_of_range'],
    ['an extra hash', () => verifyInclusion(hashes[5]!, 5, 21, [...p, root], root), 'proof.wrong_length'],
    ['a missing hash', () => verifyInclusion(hashes[5]!, 5, 21, p.slice(0, -1), root), 'proof.wrong_length'],
    ['a 31-byte proof hash', () => verifyInclusion(hashes[5]!, 5, 21, [p[0]!.subarray(1), ...p.slice(1)], root), 'proof.bad_hash'],
    ['a 33-byte root', () => verifyInclusion(hashes[5]!, 5, 21, p, new Uint8Array(33)), 'proof.bad_hash'],
    ['an empty leaf hash', () => verifyInclusion(new Uint8Array(0), 5, 21, p, root), 'proof.bad_hash'],
    ['a negative index', () => verifyInclusion(hashes[5]!, -1, 21, p, root), 'proof.bad_argument'],
    ['a fractional size', () => verifyInclusion(hashes[5]!, 5, 21.5, p, root), 'proof.bad_argument'],
    ['size1 > size2', () => verifyConsistency(5, 4, [], root, root), 'proof.sizes_out_of_order'],
    ['consistency from the empty tree', () => verifyConsistency(0, 4, [], EMPTY_ROOT, root), 'proof.empty_tree'],
    ['equal sizes with a proof', () => verifyConsistency(4, 4, [root], root, root), 'proof.wrong_length'],
    ['equal sizes with different roots', () => verifyConsistency(4, 4, [], root, hashes[0]!), 'proof.root_mismatch'],
    ['different sizes with no proof', () => verifyConsistency(4, 21, [], rootAt(store, 4), root), 'proof.wrong_length'],
  ] as const)('%s', (_, f, code) => {
    expect(proofError(f)).toBe(code)
  })

  test('proof requests outside the tree', () => {
    expect(proofError(() => inclusionProof(store, 21, 21))).toBe('proof.index_out_of_range')
    expect(proofError(() => consistencyProof(store, 0, 21))).toBe('proof.empty_tree')
    expect(proofError(() => consistencyProof(store, 9, 8))).toBe('proof.sizes_out_of_order')
  })
})

test('any tampering with a valid proof is detected (random trees)', () => {
  type Tamper = 'flip' | 'index' | 'size' | 'drop' | 'add' | 'root' | 'leaf'
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 300 }),
      fc.nat(),
      fc.constantFrom<Tamper>('flip', 'index', 'size', 'drop', 'add', 'root', 'leaf'),
      fc.nat(),
      (n, seed, tamper, r) => {
        const hashes = leavesOf(n)
        const store = memoryStore(hashes)
        const i = seed % n
        const root = rootAt(store, n)
        const p = inclusionProof(store, i, n)
        const args: [Uint8Array, number, number, Uint8Array[], Uint8Array] = [hashes[i]!, i, n, p, root]
        if (tamper === 'flip' && p.length > 0) args[3] = flipped(p, r % p.length, r % 256)
        else if (tamper === 'index') args[1] = (i + 1 + (r % (n - 1))) % n
        else if (tamper === 'size')
          args[2] = 2 * n // ×2 always changes the path's shape; +1 need not (see above)
        else if (tamper === 'drop' && p.length > 0) args[3] = p.slice(0, -1)
        else if (tamper === 'add') args[3] = [...p, hashes[r % n]!]
        else if (tamper === 'root') args[4] = hashes[r % n]!
        else args[0] = hashes[(i + 1) % n]!
        // A proof with no hashes (n === 1 is excluded) can still be tampered with by index, size, root or leaf.
        if (args[3] === p && args[1] === i && args[2] === n && args[4] === root && args[0] === hashes[i]) return
        expect(() => verifyInclusion(...args)).toThrow(ProofError)

        const m = 1 + (r % n)
        const c = consistencyProof(store, m, n)
        if (m < n) {
          expect(() => verifyConsistency(m, n, flipped(c, r % c.length, seed % 256), rootAt(store, m), root)).toThrow(ProofError)
          expect(() => verifyConsistency(m, n, c, rootAt(store, m), hashes[0]!)).toThrow(ProofError)
          expect(() => verifyConsistency(m, n, c.slice(1), rootAt(store, m), root)).toThrow(ProofError)
        }
      },
    ),
    { numRuns: 300 },
  )
})

describe('a 1,000,003-leaf tree', () => {
  const n = 1_000_003
  const hashes = Array.from({ length: n }, (_, i) => {
    const h = new Uint8Array(32) // synthetic distinct leaf hashes: building the tree is the cost here
    new DataView(h.buffer).setUint32(0, i)
    return h
  })
  const store = memoryStore(hashes)
  const root = rootAt(store, n)

  test('proofs take O(log n) lookups and well under 1 ms each, and verify', () => {
    const rounds = 500
    let lookups = 0
    let worst = 0
    const t0 = performance.now()
    for (let r = 0; r < rounds; r++) {
      const i = (r * 7919 * 127) % n
      const m = 1 + ((r * 104729) % n)
      store.lookups = 0
      const p = inclusionProof(store, i, n)
      const c = consistencyProof(store, m, n)
      worst = Math.max(worst, store.lookups)
      lookups += store.lookups
      verifyInclusion(hashes[i]!, i, n, p, root)
      if (m < n) verifyConsistency(m, n, c, rootAt(store, m), root)
    }
    const perProofMs = (performance.now() - t0) / rounds / 2
    expect(worst).toBeLessThanOrEqual(4 * Math.ceil(Math.log2(n))) // both proofs together
    expect(lookups / rounds).toBeLessThan(100)
    expect(perProofMs).toBeLessThan(1)
  })
})
