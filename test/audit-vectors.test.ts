// The transparency-dev/merkle must-pass and must-fail proof vectors (test/vectors/rfc6962, Apache-2.0,
// see the README there): a correct verifier errs exactly when a vector says wantErr.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { ProofError, verifyConsistency, verifyInclusion } from '../audit/index.ts'
import { fromBase64 } from '../crypto/index.ts'

const DIR = path.resolve(import.meta.dirname, 'vectors/rfc6962')

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name)
      return statSync(p).isDirectory() ? files(p) : name.endsWith('.json') ? [p] : []
    })
}

const b64 = (s: string): Uint8Array => (s === '' ? new Uint8Array(0) : fromBase64(s))
const proofOf = (p: string[] | null): Uint8Array[] => (p ?? []).map(b64)

/** The verifier's verdict: the ProofError code, or 'ok'. Any other exception is a bug and propagates. */
function verdict(f: () => void): string {
  try {
    f()
    return 'ok'
  } catch (err) {
    if (err instanceof ProofError) return err.code
    throw err
  }
}

describe('RFC 6962 vectors (transparency-dev/merkle testdata)', () => {
  const inclusion = files(path.join(DIR, 'inclusion'))
  const consistency = files(path.join(DIR, 'consistency'))

  test('the vector set is complete (196 files)', () => {
    expect(inclusion.length + consistency.length).toBe(196)
  })

  test.each(inclusion.map((f) => [path.relative(DIR, f), f]))('%s', (_, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8')) as {
      leafIdx: number
      treeSize: number
      root: string
      leafHash: string
      proof: string[] | null
      wantErr: boolean
    }
    const got = verdict(() => verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, proofOf(v.proof), b64(v.root)))
    expect(got === 'ok' ? 'accepted' : `refused (${got})`).toMatch(v.wantErr ? /^refused/ : /^accepted$/)
  })

  test.each(consistency.map((f) => [path.relative(DIR, f), f]))('%s', (_, file) => {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; wantErr: boolean }
    const got = verdict(() => verifyConsistency(v.size1, v.size2, proofOf(v.proof), b64(v.root1), b64(v.root2)))
    expect(got === 'ok' ? 'accepted' : `refused (${got})`).toMatch(v.wantErr ? /^refused/ : /^accepted$/)
  })
})
