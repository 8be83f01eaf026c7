import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ExportVerifier, Frontier, GENESIS_PREV, encodeEvent, formatCheckpoint, formatExportLine, formatExportTrailer,
  formatVkey, leafHash, signNote, verifyExport, type LogEvent,
} from '../audit/index.ts'
import { joinSlice } from '../audit/_cli-slices.ts'
import { ed25519, toHex } from '../crypto/index.ts'

const priv = new Uint8Array(32).fill(9)
const vkey = formatVkey('slices.test/log', ed25519.publicKey(priv))

function exportLines(n: number): string[] {
  const lines: string[] = []
  const f = new Frontier()
  let prev = GENESIS_PREV
  for (let i = 0; i < n; i++) {
    const e: LogEvent = { v: 1, index: i, prev, time: new Date(Date.UTC(2026, 10, 25, 1, 0, i)).toISOString(), actor: { system: 'test' }, action: 'test.event', outcome: 'ok', subject: { type: 't', id: `x${i}` }, where: null, data: { i } }
    const bytes = encodeEvent(e)
    const leaf = leafHash(bytes)
    f.push(leaf)
    prev = toHex(leaf)
    lines.push(formatExportLine(i, bytes))
  }
  lines.push(formatExportTrailer(signNote(formatCheckpoint({ origin: 'slices.test/log', size: n, rootHash: f.root() }), 'slices.test/log', priv), [vkey]))
  return lines
}

/** What the CLI does with two slices, without the worker thread. */
function verifyInTwo(lines: string[], cut: number) {
  const first = new ExportVerifier({ trustedKeys: [vkey] })
  for (const l of lines.slice(0, cut)) if (first.push(l)) break
  if (!first.failed) {
    const second = new ExportVerifier({ slice: true })
    for (const l of lines.slice(cut)) if (second.push(l)) break
    joinSlice(first, second.sliceResult())
  }
  return first.finish()
}

const tampers: Array<[string, (l: string[], k: number) => string[]]> = [
  ['delete a line', (l, k) => l.filter((_, i) => i !== k)],
  ['duplicate a line', (l, k) => [...l.slice(0, k + 1), l[k]!, ...l.slice(k + 1)]],
  ['swap two lines', (l, k) => { const c = [...l]; [c[k], c[k + 1]] = [c[k + 1]!, c[k]!]; return c }],
  ['change a byte of the event', (l, k) => { const c = [...l]; c[k] = c[k]!.replace(/"i":(\d+)/g, (_m, d) => `"i":${Number(d) + 1}`); return c }],
  ['drop the checkpoint', (l) => l.slice(0, -1)],
  ['move the checkpoint up', (l, k) => [...l.slice(0, k), l[l.length - 1]!, ...l.slice(k, -1)]],
  ['insert a blank line', (l, k) => [...l.slice(0, k), '', ...l.slice(k)]],
]

describe('verifying an export in two slices gives exactly the one-pass verdict', () => {
  test('an intact export verifies wherever it is cut', () => {
    const lines = exportLines(40)
    for (let cut = 1; cut < lines.length; cut++) expect(verifyInTwo(lines, cut)).toEqual(verifyExport(lines, { trustedKeys: [vkey] }))
  })

  test('property: any tampering, any cut → the same verdict and the same first wrong entry', () => {
    const lines = exportLines(24)
    fc.assert(fc.property(fc.nat(tampers.length - 1), fc.nat(22), fc.nat(30), (t, k, cutSeed) => {
      const bad = tampers[t]![1](lines, k)
      const cut = 1 + (cutSeed % (bad.length - 1))
      const one = verifyExport(bad, { trustedKeys: [vkey] })
      expect(one.ok).toBe(false)
      expect(verifyInTwo(bad, cut)).toEqual(one)
    }), { numRuns: 400 })
  })

  test('the CLI verifies a file in two threads and names the first wrong entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slices-'))
    const lines = exportLines(3000)
    const good = join(dir, 'good.jsonl')
    writeFileSync(good, lines.join('\n') + '\n')
    const env = { ...process.env, CUSTODY_VERIFY_PARALLEL_BYTES: '1000' }
    const ok = spawnSync(process.execPath, ['audit/cli.ts', good, '--key', vkey], { encoding: 'utf8', env })
    expect(ok.stdout).toMatch(/^ok: 3000 events/)
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, tampers[0]![1](lines, 2500).join('\n') + '\n')
    const r = spawnSync(process.execPath, ['audit/cli.ts', bad, '--key', vkey], { encoding: 'utf8', env })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/^FAIL at entry 2500: entry.index_mismatch/)
  })
})
