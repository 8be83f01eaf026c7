// The browser's own RFC 9162 inclusion check (kiosk/src/_merkle.ts): known answers, agreement with the
// server's audit/ module for every small tree, and refusal of wrong or malformed proofs.
import { describe, expect, test } from 'vitest'
import { inclusionProof as serverProof, leafHash as serverLeaf, nodesToStore, rootAt, type NodeSource } from '../audit/index.ts'
import { fromHex, toHex } from '../kiosk/src/_bytes.ts'
import { leafHash, nodeHash, rootFromInclusionProof, verifyInclusion } from '../kiosk/src/_merkle.ts'

// The RFC 6962 test leaves used by Certificate Transparency implementations.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => fromHex(h))

/** A tree built by the server's code, for comparison. */
function serverTree(entries: Uint8Array[]): NodeSource {
  const nodes = new Map<string, Uint8Array>()
  const src: NodeSource = { node: (level, index) => nodes.get(`${level}/${index}`)! }
  entries.forEach((e, i) => {
    for (const n of nodesToStore(i, serverLeaf(e), src)) nodes.set(`${n.level}/${n.index}`, n.hash)
  })
  return src
}

describe('kiosk Merkle verification (RFC 9162 §2.1)', () => {
  test('leaf and node hashes are domain-separated SHA-256 (known answers)', () => {
    expect(toHex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
    expect(toHex(leafHash(fromHex('00')))).toBe('96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7')
    expect(toHex(nodeHash(leafHash(new Uint8Array(0)), leafHash(fromHex('00'))))).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125')
  })

  test('the proof of leaf 0 in the 8-leaf test tree leads to the known root', () => {
    const proof = [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ].map((h) => fromHex(h))
    const root = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328')
    expect(verifyInclusion(0, 8, leafHash(LEAVES[0]!), proof, root)).toBe(true)
    expect(toHex(rootAt(serverTree(LEAVES), 8))).toBe(toHex(root))
  })

  test('every proof the server makes for trees of 1 to 40 entries verifies in the kiosk, and at no other index', () => {
    const entries = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`entry ${i}`))
    const tree = serverTree(entries)
    for (let size = 1; size <= 40; size++) {
      const root = rootAt(tree, size)
      for (let index = 0; index < size; index++) {
        const proof = serverProof(tree, index, size)
        const leaf = leafHash(entries[index]!)
        expect(toHex(rootFromInclusionProof(index, size, leaf, proof)!), `${index}/${size}`).toBe(toHex(root))
        if (size > 1) expect(verifyInclusion((index + 1) % size, size, leaf, proof, root), `moved ${index}/${size}`).toBe(false)
      }
    }
  })

  test('a changed hash, a wrong leaf, a proof too long or too short are refused', () => {
    const entries = Array.from({ length: 13 }, (_, i) => Uint8Array.of(i))
    const tree = serverTree(entries)
    const root = rootAt(tree, 13)
    const proof = serverProof(tree, 5, 13)
    const leaf = leafHash(entries[5]!)
    expect(verifyInclusion(5, 13, leaf, proof, root)).toBe(true)
    const flipped = proof.map((h, i) => (i === 1 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h))
    expect(verifyInclusion(5, 13, leaf, flipped, root)).toBe(false)
    expect(verifyInclusion(5, 13, leafHash(entries[6]!), proof, root)).toBe(false)
    expect(rootFromInclusionProof(5, 13, leaf, [...proof, proof[0]!])).toBeNull()
    expect(rootFromInclusionProof(5, 13, leaf, proof.slice(0, -1))).toBeNull()
  })

  test('impossible positions and malformed hashes give no root', () => {
    const h = new Uint8Array(32)
    expect(rootFromInclusionProof(3, 3, h, [])).toBeNull()
    expect(rootFromInclusionProof(-1, 3, h, [])).toBeNull()
    expect(rootFromInclusionProof(0, 1.5, h, [])).toBeNull()
    expect(rootFromInclusionProof(0, 2, h, [new Uint8Array(31)])).toBeNull()
    expect(rootFromInclusionProof(0, 1, new Uint8Array(33), [])).toBeNull()
    expect(toHex(rootFromInclusionProof(0, 1, h, [])!)).toBe(toHex(h)) // a one-entry tree's root is its leaf
  })
})
