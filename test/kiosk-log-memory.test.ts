// What the /log page remembers between visits (kiosk/src/_log-memory.ts): its history judgement over audit/'s
// consistency proofs, and its cosignature verdict over audit/'s cosignatures (the same code, bundled for the browser).
import { describe, expect, test } from 'vitest'
import {
  type NodeSource,
  consistencyProof,
  cosignatureLine,
  formatCheckpoint,
  formatCosignerVkey,
  leafHash as serverLeaf,
  nodesToStore,
  rootAt,
  signNote,
  withSignatureLines,
} from '../audit/index.ts'
import { ed25519, sha256, utf8 } from '../crypto/index.ts'
import { toBase64 } from '../crypto/index.ts'
import { type RememberedCheckpoint, checkCosignature, judgeHistory, recall, remember } from '../kiosk/src/_log-memory.ts'

function tree(entries: string[]): NodeSource {
  const nodes = new Map<string, Uint8Array>()
  const src: NodeSource = { node: (level, index) => nodes.get(`${level}/${index}`)! }
  entries.forEach((e, i) => {
    for (const n of nodesToStore(i, serverLeaf(utf8(e)), src)) nodes.set(`${n.level}/${n.index}`, n.hash)
  })
  return src
}

const ORIGIN = 'custody.test/log'
const honest = Array.from({ length: 40 }, (_, i) => `event ${i}`)
const H = tree(honest)
const at = (src: NodeSource, size: number) => ({ origin: ORIGIN, size, root: rootAt(src, size) })
const memoryOf = (src: NodeSource, size: number): RememberedCheckpoint => ({
  origin: ORIGIN,
  size,
  root: toBase64(rootAt(src, size)),
  verifiedAt: '2026-12-04T08:00:00.000Z',
})

describe('judgeHistory', () => {
  test("every honest growth between sizes 1..40 is 'extended' with the server's proof, and 'rewritten' against another root", () => {
    const wrong = toBase64(sha256(utf8('wrong')))
    for (let m = 1; m < 40; m++)
      for (let n = m + 1; n <= 40; n++) {
        const proof = consistencyProof(H, m, n)
        expect(judgeHistory(memoryOf(H, m), at(H, n), proof).kind, `${m} -> ${n}`).toBe('extended')
        expect(judgeHistory({ ...memoryOf(H, m), root: wrong }, at(H, n), proof).kind, `${m} -> ${n}`).toBe('rewritten')
      }
  })

  test('nothing remembered: the first visit', () => {
    expect(judgeHistory(null, at(H, 10), null).kind).toBe('first')
    expect(judgeHistory({ ...memoryOf(H, 10), origin: 'another/log' }, at(H, 10), null).kind).toBe('first')
  })

  test('the same checkpoint again, and a grown log with a valid proof from the remembered one', () => {
    expect(judgeHistory(memoryOf(H, 10), at(H, 10), null).kind).toBe('same')
    expect(judgeHistory(memoryOf(H, 10), at(H, 37), consistencyProof(H, 10, 37)).kind).toBe('extended')
  })

  test('a rewritten log is shown as such: shrunk, changed at the same size, or no valid proof', () => {
    const rewritten = tree(honest.map((e, i) => (i === 4 ? 'event 4, edited' : e)))
    expect(judgeHistory(memoryOf(H, 20), at(H, 12), null)).toMatchObject({ kind: 'rewritten', why: 'shrunk' })
    expect(judgeHistory(memoryOf(H, 20), at(rewritten, 20), null)).toMatchObject({ kind: 'rewritten', why: 'root_changed' })
    expect(judgeHistory(memoryOf(H, 20), at(rewritten, 30), consistencyProof(rewritten, 20, 30))).toMatchObject({ kind: 'rewritten', why: 'proof_failed' })
    expect(judgeHistory(memoryOf(H, 20), at(H, 30), null)).toMatchObject({ kind: 'rewritten', why: 'proof_failed' })
  })

  test('remember and recall per log origin; an unreadable memory is none', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) }
    remember(storage, at(H, 9), new Date('2026-12-04T08:00:00Z'))
    expect(recall(storage, ORIGIN)).toEqual(memoryOf(H, 9))
    expect(recall(storage, 'another/log')).toBeNull()
    store.set(`custody.log.verified:${ORIGIN}`, '{"origin":"custody.test/log","size":"x"}')
    expect(recall(storage, ORIGIN)).toBeNull()
  })
})

describe('the browser cosignature check', () => {
  const witnessKey = sha256(utf8('kiosk witness'))
  const VKEY = formatCosignerVkey('witness.test/w', ed25519.publicKey(witnessKey))
  const logKey = sha256(utf8('kiosk log'))
  const text = formatCheckpoint({ origin: ORIGIN, size: 9, rootHash: rootAt(H, 9) })
  const note = signNote(text, ORIGIN, logKey)

  test('a cosignature made by audit/ verifies in the browser code, with its time', () => {
    const cosigned = withSignatureLines(note, [cosignatureLine(text, 1796371200, 'witness.test/w', witnessKey)])
    expect(checkCosignature(cosigned, VKEY)).toEqual({ state: 'verified', time: 1796371200 })
  })

  test('absent, and failing when the line covers another checkpoint', () => {
    expect(checkCosignature(note, VKEY).state).toBe('absent')
    const other = formatCheckpoint({ origin: ORIGIN, size: 10, rootHash: rootAt(H, 10) })
    const forged = withSignatureLines(note, [cosignatureLine(other, 1796371200, 'witness.test/w', witnessKey)])
    expect(checkCosignature(forged, VKEY).state).toBe('failed')
  })
})
