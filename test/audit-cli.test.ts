// The offline verifier as an auditor runs it: `bun audit/cli.ts FILE [--key VKEY]`, a child process.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import {
  encodeEvent,
  formatCheckpoint,
  formatExportLine,
  formatExportTrailer,
  formatVkey,
  GENESIS_PREV,
  leafHash,
  rootOf,
  signNote,
  type LogEvent,
} from '../audit/index.ts'
import { ed25519, fromBase64, sha256, toBase64, toHex, utf8 } from '../crypto/index.ts'

const ROOT = path.resolve(import.meta.dirname, '..')
const dir = mkdtempSync(path.join(tmpdir(), 'custody-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const priv = sha256(utf8('cli test key'))
const NAME = 'custody.example/log'
const VKEY = formatVkey(NAME, ed25519.publicKey(priv))
const OTHER = formatVkey(NAME, ed25519.publicKey(sha256(utf8('cli other key'))))

function exportLines(n: number): string[] {
  const lines: string[] = []
  const leaves: Uint8Array[] = []
  let prev = GENESIS_PREV
  for (let i = 0; i < n; i++) {
    const e: LogEvent = {
      v: 1,
      index: i,
      prev,
      time: '2026-11-25T04:00:00.000Z',
      actor: { system: 'custody-server' },
      action: 'custody.packet.sealed',
      outcome: 'ok',
      subject: { type: 'packet', id: `P${i}` },
      where: null,
      data: { seal: `S-${i}` },
    }
    const bytes = encodeEvent(e)
    leaves.push(leafHash(bytes))
    prev = toHex(leaves[i]!)
    lines.push(formatExportLine(i, bytes))
  }
  const note = signNote(formatCheckpoint({ origin: NAME, size: n, rootHash: rootOf(leaves) }), NAME, priv)
  return [...lines, formatExportTrailer(note, [VKEY])]
}

function file(name: string, text: string): string {
  const p = path.join(dir, name)
  writeFileSync(p, text)
  return p
}

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['audit/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

const lines = exportLines(25)
const good = file('good.jsonl', `${lines.join('\n')}\n`)

describe('bun audit/cli.ts', () => {
  test('a genuine export with the pinned key: exit 0 and one summary line', () => {
    const r = run(good, '--key', VKEY)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^ok: 25 events, root [A-Za-z0-9+/]{43}=, checkpoint signed by custody\.example\/log\+[0-9a-f]{8}\n$/)
  })

  test("without --key it verifies against the export's own key and says the key was not pinned", () => {
    const r = run(good)
    expect(r.code).toBe(0)
    expect(r.out.trim().split('\n')).toHaveLength(1)
    expect(r.out).toContain('key not pinned')
  })

  test('--key=VKEY works too, and a file without a final newline or with CRLF line ends', () => {
    expect(run(file('no-newline.jsonl', lines.join('\n')), `--key=${VKEY}`).code).toBe(0)
    expect(run(file('crlf.jsonl', `${lines.join('\r\n')}\r\n`), '--key', VKEY).code).toBe(0)
  })

  test('a tampered entry: exit 1 and "FAIL at entry N: <code>: <reason>"', () => {
    const e = JSON.parse(lines[7]!) as { index: number; bytes: string; event: unknown }
    const text = new TextDecoder().decode(fromBase64(e.bytes)).replace('S-7', 'S-8')
    const tampered = lines.with(7, JSON.stringify({ ...e, bytes: toBase64(utf8(text)) }))
    const r = run(file('tampered.jsonl', tampered.join('\n')), '--key', VKEY)
    expect(r.code).toBe(1)
    expect(r.out).toBe('FAIL at entry 7: entry.changed: the displayed event differs from the entry bytes\n')
  })

  test('a deleted entry and a truncated export are named', () => {
    expect(run(file('deleted.jsonl', lines.toSpliced(3, 1).join('\n')), '--key', VKEY).out).toMatch(/^FAIL at entry 3: entry\.index_mismatch: /)
    const cut = run(file('cut.jsonl', lines.slice(0, 10).join('\n')), '--key', VKEY)
    expect(cut.code).toBe(1)
    expect(cut.out).toBe('FAIL at checkpoint: log.truncated: the export ends after 10 entries without its checkpoint line\n')
  })

  test('a checkpoint not signed by the pinned key: exit 1', () => {
    const r = run(good, '--key', OTHER)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^FAIL at checkpoint: checkpoint\.bad_signature: /)
  })

  test.each([
    ['no arguments', []],
    ['two files', [good, good]],
    ['an unknown option', [good, '--fast']],
    ['--key without a value', [good, '--key']],
    ['a malformed --key', [good, '--key', 'not-a-vkey']],
    ['a file that does not exist', [path.join(dir, 'missing.jsonl')]],
  ])('usage errors exit 2 with a message on stderr: %s', (_, args) => {
    const r = run(...args)
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err.length).toBeGreaterThan(0)
  })
})
