import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ExportVerifier,
  Frontier,
  GENESIS_PREV,
  encodeEvent,
  formatCheckpoint,
  formatExportLine,
  formatExportTrailer,
  formatVkey,
  leafHash,
  signNote,
  verifyExport,
  type LogEvent,
} from '../audit/index.ts'
import { forEachLine } from '../audit/_cli-lines.ts'
import { joinSlice } from '../audit/_cli-slices.ts'
import { ed25519, toBase64, toHex } from '../crypto/index.ts'

const priv = new Uint8Array(32).fill(9)
const vkey = formatVkey('slices.test/log', ed25519.publicKey(priv))

type EventBody = Omit<LogEvent, 'v' | 'index' | 'prev' | 'time'>
const plainEvent = (i: number): EventBody => ({
  actor: { system: 'test' },
  action: 'test.event',
  outcome: 'ok',
  subject: { type: 't', id: `x${i}` },
  where: null,
  data: { i },
})

/** A signed export of n events (lines, the checkpoint line last); `body` gives each event's content. */
function exportLines(n: number, body: (i: number) => EventBody = plainEvent): string[] {
  const lines: string[] = []
  const f = new Frontier()
  let prev = GENESIS_PREV
  for (let i = 0; i < n; i++) {
    const bytes = encodeEvent({ v: 1, index: i, prev, time: new Date(Date.UTC(2026, 10, 25, 1, 0, i)).toISOString(), ...body(i) })
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
  [
    'swap two lines',
    (l, k) => {
      const c = [...l]
      ;[c[k], c[k + 1]] = [c[k + 1]!, c[k]!]
      return c
    },
  ],
  [
    'change a byte of the event',
    (l, k) => {
      const c = [...l]
      c[k] = c[k]!.replace(/"i":(\d+)/g, (_m, d) => `"i":${Number(d) + 1}`)
      return c
    },
  ],
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
    fc.assert(
      fc.property(fc.nat(tampers.length - 1), fc.nat(22), fc.nat(30), (t, k, cutSeed) => {
        const bad = tampers[t]![1](lines, k)
        const cut = 1 + (cutSeed % (bad.length - 1))
        const one = verifyExport(bad, { trustedKeys: [vkey] })
        expect(one.ok).toBe(false)
        expect(verifyInTwo(bad, cut)).toEqual(one)
      }),
      { numRuns: 400 },
    )
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

describe('lines read as bytes (pushBytes, the CLI path) give exactly the verdicts of lines read as text (push)', () => {
  /** An export whose events carry Chinese text (multi-byte UTF-8) beside ASCII. */
  function exportBytes(n: number): Uint8Array {
    const lines = exportLines(n, (i) => ({
      actor: i % 3 === 0 ? { system: 'kiosk' } : { user: `u${i}`, name: i % 2 ? '张伟' : 'Li "Wei"', roles: ['custodian'] },
      action: 'custody.packet.sealed',
      outcome: i % 5 ? 'ok' : 'refused',
      subject: { type: 'packet', id: `p${i}` },
      where: i % 4 ? { room: '第一考场', site: '考点\\1' } : null,
      data: { i, seal: `S-${i}`, note: '完好 ✓' },
    }))
    return new TextEncoder().encode(lines.join('\n') + '\n')
  }

  /** The reference: the file decoded as one UTF-8 text (a leading BOM dropped), split into lines, pushed. */
  function asText(file: Uint8Array) {
    return verifyExport(new TextDecoder().decode(file).split('\n'), { trustedKeys: [vkey] })
  }

  async function asBytes(file: Uint8Array, dir: string, name: string) {
    const path = join(dir, name)
    writeFileSync(path, file)
    const v = new ExportVerifier({ trustedKeys: [vkey] })
    forEachLine(path, null, (buf, start, end) => v.pushBytes(buf, start, end) !== undefined)
    return v.finish()
  }

  test('an intact export, with and without a byte order mark and with CRLF line ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bytes-'))
    const file = exportBytes(30)
    expect((await asBytes(file, dir, 'plain')).ok).toBe(true)
    expect(await asBytes(Uint8Array.of(0xef, 0xbb, 0xbf, ...file), dir, 'bom')).toEqual(asText(file))
    const crlf = new TextEncoder().encode(new TextDecoder().decode(file).replaceAll('\n', '\r\n'))
    expect(await asBytes(crlf, dir, 'crlf')).toEqual(asText(crlf))
    expect((await asBytes(crlf, dir, 'crlf2')).ok).toBe(true)
  })

  test('an event whose bytes are not UTF-8, though its base64 matches them, and one with a genuine U+FFFD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bytes-'))
    // A genuine replacement character in an event is valid UTF-8: the export verifies on both paths.
    const withFffd = new TextEncoder().encode(exportLines(4, (i) => ({ ...plainEvent(i), data: { note: 'a\ufffdb' } })).join('\n') + '\n')
    expect((await asBytes(withFffd, dir, 'fffd')).ok).toBe(true)
    expect(asText(withFffd).ok).toBe(true)
    // Entry 1's event bytes with one byte made invalid (0xff), its "bytes" field re-encoded to match them.
    const lines = exportLines(3).map((l) => new TextEncoder().encode(l))
    const line = lines[1]!
    const at = new TextDecoder().decode(line).indexOf('"event":') + 8
    const event = line.slice(at, line.length - 1)
    event[event.indexOf(0x78)] = 0xff // the "x" of the subject id
    const head = new TextEncoder().encode(`{"index":1,"bytes":"${toBase64(event)}","event":`)
    lines[1] = Uint8Array.from([...head, ...event, 0x7d])
    const file = Uint8Array.from(lines.flatMap((l) => [...l, 0x0a]))
    const verdict = await asBytes(file, dir, 'not-utf8')
    expect(verdict).toEqual(asText(file))
    expect(verdict).toMatchObject({ ok: false, index: 1 })
  })

  test('a line longer than the read buffer (1 MiB), and a file without a final newline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bytes-'))
    const lines = new TextDecoder().decode(exportBytes(6)).split('\n').slice(0, -1)
    const huge = new TextEncoder().encode([...lines.slice(0, 3), `{"index":3,"junk":"${'x'.repeat(3 << 20)}"}`, ...lines.slice(3)].join('\n') + '\n')
    const verdict = await asBytes(huge, dir, 'huge')
    expect(verdict).toEqual(asText(huge))
    expect(verdict).toMatchObject({ ok: false, index: 3 })
    const unterminated = new TextEncoder().encode(lines.join('\n'))
    expect((await asBytes(unterminated, dir, 'unterminated')).ok).toBe(true)
  })

  test('every line-level tampering (deleted, duplicated, swapped, changed, blank, checkpoint moved or dropped), at every line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bytes-'))
    const lines = new TextDecoder().decode(exportBytes(12)).split('\n').slice(0, -1)
    let n = 0
    for (const [name, tamper] of tampers) {
      for (let k = 0; k < 11; k++) {
        const tampered = new TextEncoder().encode(tamper(lines, k).join('\n') + '\n')
        const want = asText(tampered)
        expect(want.ok, `${name} at ${k}`).toBe(false)
        expect(await asBytes(tampered, dir, `l${n++}`), `${name} at ${k}`).toEqual(want)
      }
    }
  })

  test('property: any byte-level tampering gives the same verdict and the same first wrong entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bytes-'))
    const file = exportBytes(12)
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom('flip', 'insert', 'delete'),
      fc.constantFrom(0x0a, 0x0d, 0x22, 0x5c, 0x80, 0xc3, 0xe4, 0xff, 0x30, 0x41, 0x2b, 0x3d, 0x00),
    )
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 2 }), async (edits) => {
        let bytes = [...file]
        for (const [at, kind, value] of edits) {
          const i = at % bytes.length
          if (kind === 'flip') bytes[i] = bytes[i]! ^ (value || 1)
          else if (kind === 'insert') bytes.splice(i, 0, value)
          else bytes.splice(i, 1)
        }
        const tampered = Uint8Array.from(bytes)
        expect(await asBytes(tampered, dir, `t${n++}`)).toEqual(asText(tampered))
      }),
      { numRuns: 300 },
    )
  })
})
