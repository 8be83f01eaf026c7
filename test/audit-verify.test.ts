import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  decodeEvent,
  encodeEvent,
  formatCheckpoint,
  formatExportLine,
  formatExportTrailer,
  formatVkey,
  GENESIS_PREV,
  KEY_ROTATED,
  keyRotationData,
  leafHash,
  rootOf,
  rotationStatement,
  signNote,
  verifyExport,
  verifyLines,
  type Canonical,
  type LogEvent,
  type VerifyResult,
} from '../audit/index.ts'
import { ed25519, fromBase64, sha256, toBase64, toHex, utf8 } from '../crypto/index.ts'

// ---- Building logs with the audit functions themselves, as the server does. ----

interface Key {
  name: string
  privateKey: Uint8Array
  vkey: string
}
function key(label: string, name = 'custody.example/log'): Key {
  const privateKey = sha256(utf8(label))
  return { name, privateKey, vkey: formatVkey(name, ed25519.publicKey(privateKey)) }
}
const A = key('verify test key A')
const B = key('verify test key B')
const C = key('verify test key C')
const FOREIGN = key('verify test foreign key', 'attacker.example/log')
const X = key('verify test untrusted X')

interface Rotation {
  at: number
  from: Key
  to: Key
  mangle?: (data: Record<string, Canonical>) => Record<string, Canonical>
}
interface Options {
  signer?: Key
  keys?: Key[]
  rotations?: Rotation[]
}
interface Log {
  lines: string[]
  events: LogEvent[]
  leaves: Uint8Array[]
}

function eventAt(index: number, prev: string, rotation?: Rotation): LogEvent {
  const time = new Date(Date.UTC(2026, 10, 25, 1, 0, index)).toISOString()
  if (rotation) {
    let data: Record<string, Canonical> = keyRotationData({ index, old: rotation.from, new: rotation.to })
    if (rotation.mangle) data = rotation.mangle(data)
    return {
      v: 1,
      index,
      prev,
      time,
      actor: { user: 'u_admin', name: 'admin', roles: ['admin'] },
      action: KEY_ROTATED,
      outcome: 'ok',
      subject: { type: 'log', id: 'custody.example/log' },
      where: null,
      data,
    }
  }
  return {
    v: 1,
    index,
    prev,
    time,
    actor: index % 3 === 0 ? { system: 'custody-server' } : { user: `u_${index % 7}`, name: '李娜', roles: ['custodian'] },
    action: index % 2 === 0 ? 'custody.packet.sealed' : 'custody.packet.handed_over',
    outcome: index % 5 === 4 ? 'refused' : 'ok',
    subject: { type: 'packet', id: `PKT-${1000 + index}` },
    where: index % 4 === 0 ? null : { site: 'SZ-01', room: `第${index % 9}考场` },
    data: { seal: `S-${100000 + index}`, count: index },
  }
}

function buildLog(n: number, opts: Options = {}): Log {
  const events: LogEvent[] = []
  const leaves: Uint8Array[] = []
  const lines: string[] = []
  let prev = GENESIS_PREV
  for (let i = 0; i < n; i++) {
    const e = eventAt(
      i,
      prev,
      opts.rotations?.find((r) => r.at === i),
    )
    const bytes = encodeEvent(e)
    const leaf = leafHash(bytes)
    events.push(e)
    leaves.push(leaf)
    lines.push(formatExportLine(i, bytes))
    prev = toHex(leaf)
  }
  lines.push(trailer(n, rootOf(leaves), opts.signer ?? A, opts.keys ?? [A]))
  return { lines, events, leaves }
}

function trailer(size: number, root: Uint8Array, signer: Key, keys: Key[]): string {
  const note = signNote(formatCheckpoint({ origin: 'custody.example/log', size, rootHash: root }), signer.name, signer.privateKey)
  return formatExportTrailer(
    note,
    keys.map((k) => k.vkey),
  )
}

const pinned = { trustedKeys: [A.vkey] }
const verdict = (r: VerifyResult) => (r.ok ? { ok: true } : { code: r.code, index: r.index })

// ---- Tampering, as an auditor would fear it. ----

const entry = (line: string) => JSON.parse(line) as { index: number; bytes: string; event?: LogEvent }

/** Changes one character inside the seal in the stored bytes; the displayed event stays as it was. */
function changeBytes(lines: string[], k: number): string[] {
  const e = entry(lines[k]!)
  const text = new TextDecoder().decode(fromBase64(e.bytes)).replace('"seal":"S-', '"seal":"T-')
  return lines.with(k, JSON.stringify({ ...e, bytes: toBase64(utf8(text)) }))
}
/** Changes the displayed event only. */
function changeShown(lines: string[], k: number): string[] {
  const e = entry(lines[k]!)
  return lines.with(k, JSON.stringify({ ...e, event: { ...e.event!, data: { ...e.event!.data, seal: 'forged' } } }))
}
/** Rewrites an entry consistently (bytes and display): only the chain or the root can tell. */
function reencode(lines: string[], k: number): string[] {
  const e = decodeEvent(fromBase64(entry(lines[k]!).bytes))
  return lines.with(k, formatExportLine(k, encodeEvent({ ...e, data: { ...e.data, seal: 'forged' } })))
}

type Tamper =
  | { kind: 'changeBytes' | 'changeShown' | 'reencode' | 'delete' | 'duplicate'; k: number }
  | { kind: 'swap'; i: number; j: number }
  | { kind: 'truncate'; m: number }
  | { kind: 'dropTrailer' | 'foreignSigner' | 'editSize' | 'editRoot' }

function apply(log: Log, t: Tamper): string[] {
  const { lines } = log
  const n = lines.length - 1
  const note = (): string => (JSON.parse(lines[n]!) as { checkpoint: string }).checkpoint
  const withNote = (text: string) => lines.with(n, JSON.stringify({ ...JSON.parse(lines[n]!), checkpoint: text }))
  switch (t.kind) {
    case 'changeBytes':
      return changeBytes(lines, t.k)
    case 'changeShown':
      return changeShown(lines, t.k)
    case 'reencode':
      return reencode(lines, t.k)
    case 'delete':
      return lines.toSpliced(t.k, 1)
    case 'duplicate':
      return lines.toSpliced(t.k + 1, 0, lines[t.k]!)
    case 'swap':
      return lines.with(t.i, lines[t.j]!).with(t.j, lines[t.i]!)
    case 'truncate':
      return lines.slice(0, t.m)
    case 'dropTrailer':
      return lines.slice(0, n)
    case 'foreignSigner':
      return lines.with(n, trailer(n, rootOf(log.leaves), FOREIGN, [FOREIGN]))
    case 'editSize':
      return withNote(note().replace(/\n\d+\n/, `\n${n + 1}\n`))
    case 'editRoot':
      return withNote(note().replace(/\n([A-Za-z0-9+/]{43}=)\n/, `\n${toBase64(sha256(utf8('other root')))}\n`))
  }
}

/** What the verifier must say for a tampering of a log of n entries. */
function expected(t: Tamper, n: number): { code: string; index: number | null } {
  switch (t.kind) {
    case 'changeBytes':
    case 'changeShown':
      return { code: 'entry.changed', index: t.k }
    case 'reencode':
      return t.k < n - 1 ? { code: 'entry.chain_broken', index: t.k + 1 } : { code: 'checkpoint.root_mismatch', index: null }
    case 'delete':
      return t.k < n - 1 ? { code: 'entry.index_mismatch', index: t.k } : { code: 'checkpoint.size_mismatch', index: null }
    case 'duplicate':
      return { code: 'entry.index_mismatch', index: t.k + 1 }
    case 'swap':
      return { code: 'entry.index_mismatch', index: t.i }
    case 'truncate':
    case 'dropTrailer':
      return { code: 'log.truncated', index: null }
    case 'foreignSigner':
    case 'editSize':
    case 'editRoot':
      return { code: 'checkpoint.bad_signature', index: null }
  }
}

// ---- The tests. ----

describe('a genuine export verifies', () => {
  test.each([0, 1, 2, 7, 64, 100])('with %i events, pinned to the log key', (n) => {
    const log = buildLog(n)
    const r = verifyExport(log.lines, pinned)
    expect(r).toEqual({
      ok: true,
      size: n,
      root: toBase64(rootOf(log.leaves)),
      origin: 'custody.example/log',
      summary: `ok: ${n} events, root ${toBase64(rootOf(log.leaves))}, checkpoint signed by ${A.vkey.split('+').slice(0, 2).join('+')}`,
    })
  })

  test("without pinned keys it trusts the export's own keys, and says so", () => {
    const r = verifyExport(buildLog(5).lines)
    expect(r.ok && r.summary).toMatch(/\(key not pinned: trusted the export's own keys\)$/)
  })

  test('from a file: a final newline, CRLF line ends and a missing "event" are fine', () => {
    const log = buildLog(6)
    expect(verifyExport(`${log.lines.join('\r\n')}\r\n`.split('\n'), pinned).ok).toBe(true)
    const withoutEvents = log.lines.map((l, i) => (i < 6 ? JSON.stringify({ index: i, bytes: entry(l).bytes }) : l))
    expect(verifyExport(withoutEvents, pinned).ok).toBe(true)
  })

  test('lines written another way (other key order, spacing) take the general path and agree', () => {
    const log = buildLog(9)
    const rewritten = log.lines.map((l, i) =>
      i < 9 ? JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l)).reverse()), null, 0).replace(':', ': ') : l,
    )
    expect(rewritten[0]).not.toBe(log.lines[0])
    expect(verifyExport(rewritten, pinned)).toEqual(verifyExport(log.lines, pinned))
  })

  test('verifyLines gives the same verdict from sync and async sources', async () => {
    const log = buildLog(12)
    async function* lines() {
      yield* log.lines
    }
    expect(await verifyLines(lines(), pinned)).toEqual(verifyExport(log.lines, pinned))
    expect(await verifyLines(log.lines, pinned)).toEqual(verifyExport(log.lines, pinned))
  })
})

describe('each tampering is named at the first wrong entry', () => {
  const n = 10
  const log = buildLog(n)
  const cases: Array<[string, Tamper]> = [
    ['a changed byte in the stored bytes (entry.changed)', { kind: 'changeBytes', k: 4 }],
    ['a changed field in the displayed event (entry.changed)', { kind: 'changeShown', k: 4 }],
    ['an entry rewritten consistently breaks the next link (entry.chain_broken)', { kind: 'reencode', k: 4 }],
    ['the last entry rewritten consistently changes the root (checkpoint.root_mismatch)', { kind: 'reencode', k: n - 1 }],
    ['a deleted entry (entry.index_mismatch)', { kind: 'delete', k: 4 }],
    ['the last entry deleted (checkpoint.size_mismatch)', { kind: 'delete', k: n - 1 }],
    ['a duplicated entry (entry.index_mismatch)', { kind: 'duplicate', k: 4 }],
    ['two swapped entries (entry.index_mismatch)', { kind: 'swap', i: 2, j: 7 }],
    ['a truncated export (log.truncated)', { kind: 'truncate', m: 6 }],
    ['a dropped checkpoint line (log.truncated)', { kind: 'dropTrailer' }],
    ['a checkpoint re-signed by a foreign key (checkpoint.bad_signature)', { kind: 'foreignSigner' }],
    ['an edited checkpoint size (checkpoint.bad_signature)', { kind: 'editSize' }],
    ['an edited checkpoint root (checkpoint.bad_signature)', { kind: 'editRoot' }],
  ]
  test.each(cases)('%s', (_, t) => {
    expect(verdict(verifyExport(apply(log, t), pinned))).toEqual(expected(t, n))
  })

  test('a checkpoint for fewer entries, validly signed (checkpoint.size_mismatch)', () => {
    const lines = log.lines.with(n, trailer(n - 1, rootOf(log.leaves.slice(0, n - 1)), A, [A]))
    expect(verdict(verifyExport(lines, pinned))).toEqual({ code: 'checkpoint.size_mismatch', index: null })
  })
  test('a checkpoint of another root, validly signed (checkpoint.root_mismatch)', () => {
    const lines = log.lines.with(n, trailer(n, sha256(utf8('x')), A, [A]))
    expect(verdict(verifyExport(lines, pinned))).toEqual({ code: 'checkpoint.root_mismatch', index: null })
  })
  test('a foreign signature passes only when nothing is pinned, which the summary admits', () => {
    const r = verifyExport(apply(log, { kind: 'foreignSigner' }))
    expect(r.ok && r.summary).toContain('signed by attacker.example/log+')
    expect(r.ok && r.summary).toContain('key not pinned')
  })
})

describe('malformed exports', () => {
  const log = buildLog(5)
  const at = (k: number, line: string) => log.lines.with(k, line)
  test.each([
    ['a line that is not JSON', at(2, '{"index":2,'), { code: 'entry.malformed', index: 2 }],
    ['bytes that are not base64', at(2, '{"index":2,"bytes":"not base64!"}'), { code: 'entry.malformed', index: 2 }],
    ['bytes that are not UTF-8', at(2, `{"index":2,"bytes":"${toBase64(Uint8Array.of(0xff))}"}`), { code: 'entry.malformed', index: 2 }],
    ['an unknown field in an entry line', at(2, JSON.stringify({ ...entry(log.lines[2]!), note: 'x' })), { code: 'entry.malformed', index: 2 }],
    ['a blank line inside', log.lines.toSpliced(2, 0, ''), { code: 'entry.malformed', index: 2 }],
    ['a line after the checkpoint', [...log.lines, log.lines[0]!], { code: 'checkpoint.not_last', index: 5 }],
    ['a checkpoint line in the middle', log.lines.toSpliced(2, 0, log.lines[5]!), { code: 'checkpoint.not_last', index: 2 }],
    ['a trailer without checkpoint', at(5, '{"keys":[]}'), { code: 'checkpoint.missing', index: null }],
    [
      'a trailer whose keys are not vkeys',
      at(5, JSON.stringify({ ...JSON.parse(log.lines[5]!), keys: ['nope'] })),
      { code: 'checkpoint.malformed', index: null },
    ],
    [
      'a checkpoint that is not a signed note',
      at(5, JSON.stringify({ ...JSON.parse(log.lines[5]!), checkpoint: 'hello\n' })),
      { code: 'checkpoint.malformed', index: null },
    ],
    ['an empty export', [], { code: 'log.truncated', index: null }],
  ] as const)('%s', (_, lines, want) => {
    expect(verdict(verifyExport(lines, pinned))).toEqual(want)
  })

  function withEvent(k: number, change: (text: string) => string): string[] {
    const text = change(new TextDecoder().decode(fromBase64(entry(log.lines[k]!).bytes)))
    return log.lines.with(k, JSON.stringify({ index: k, bytes: toBase64(utf8(text)) }))
  }
  test('bytes that are JSON but not canonical (entry.not_canonical)', () => {
    expect(
      verdict(
        verifyExport(
          withEvent(3, (t) => t.replace('"v":1', '"v": 1')),
          pinned,
        ),
      ),
    ).toEqual({ code: 'entry.not_canonical', index: 3 })
  })
  test('bytes that are canonical but not an event (entry.malformed)', () => {
    expect(
      verdict(
        verifyExport(
          withEvent(3, (t) => t.replace('"v":1', '"v":2')),
          pinned,
        ),
      ),
    ).toEqual({ code: 'entry.malformed', index: 3 })
  })
  test('bytes that claim another index than their line (entry.index_mismatch)', () => {
    expect(
      verdict(
        verifyExport(
          withEvent(3, (t) => t.replace('"index":3', '"index":4')),
          pinned,
        ),
      ),
    ).toEqual({ code: 'entry.index_mismatch', index: 3 })
  })
  test('a displayed event with an unpaired surrogate is not taken for its U+FFFD bytes (entry.changed)', () => {
    const e = entry(log.lines[3]!)
    const bytes = utf8(new TextDecoder().decode(fromBase64(e.bytes)).replace('"seal":"S-', '"seal":"\ufffdS-'))
    const shown = new TextDecoder().decode(bytes).replace('\ufffd', '\ud800')
    const lines = log.lines.with(3, `{"index":3,"bytes":"${toBase64(bytes)}","event":${shown}}`)
    expect(verdict(verifyExport(lines, pinned))).toEqual({ code: 'entry.changed', index: 3 })
  })
  test('a first entry that does not start the chain (entry.chain_broken)', () => {
    expect(
      verdict(
        verifyExport(
          withEvent(0, (t) => t.replace(GENESIS_PREV, 'f'.repeat(64))),
          pinned,
        ),
      ),
    ).toEqual({ code: 'entry.chain_broken', index: 0 })
  })
})

test('every random tampering is detected at the right first index (property)', () => {
  const logs = new Map<number, Log>()
  const logOf = (n: number) => logs.get(n) ?? (logs.set(n, buildLog(n)), logs.get(n)!)
  const tamper = (n: number): fc.Arbitrary<Tamper> =>
    fc.oneof(
      fc.record({ kind: fc.constantFrom('changeBytes', 'changeShown', 'reencode', 'delete', 'duplicate'), k: fc.nat(n - 1) }) as fc.Arbitrary<Tamper>,
      // a swap needs two entries; built directly (a filter could never succeed for n = 1)
      ...(n >= 2 ? [fc.nat(n - 2).chain((i) => fc.integer({ min: i + 1, max: n - 1 }).map((j): Tamper => ({ kind: 'swap', i, j })))] : []),
      fc.nat(n - 1).map((m): Tamper => ({ kind: 'truncate', m })),
      fc.constantFrom<Tamper>({ kind: 'dropTrailer' }, { kind: 'foreignSigner' }, { kind: 'editSize' }, { kind: 'editRoot' }),
    )
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 24 }).chain((n) => fc.tuple(fc.constant(n), tamper(n))),
      ([n, t]) => {
        expect(verdict(verifyExport(apply(logOf(n), t), pinned))).toEqual(expected(t, n))
      },
    ),
    { numRuns: 400 },
  )
})

describe('key rotation', () => {
  const summaryKey = (k: Key) => k.vkey.split('+').slice(0, 2).join('+')

  test('a rotation signed by both keys lets the new key sign the checkpoint', () => {
    const log = buildLog(8, { rotations: [{ at: 3, from: A, to: B }], signer: B, keys: [A, B] })
    const r = verifyExport(log.lines, pinned)
    expect(r.ok && r.summary).toBe(`ok: 8 events, root ${toBase64(rootOf(log.leaves))}, checkpoint signed by ${summaryKey(B)} (1 key rotation)`)
  })

  test('trust follows a chain of rotations A → B → C', () => {
    const log = buildLog(9, {
      rotations: [
        { at: 2, from: A, to: B },
        { at: 6, from: B, to: C },
      ],
      signer: C,
    })
    const r = verifyExport(log.lines, pinned)
    expect(r.ok && r.summary).toContain(`signed by ${summaryKey(C)} (2 key rotations)`)
  })

  test('the new key without a rotation entry is not trusted (checkpoint.bad_signature)', () => {
    expect(verdict(verifyExport(buildLog(8, { signer: B }).lines, pinned))).toEqual({ code: 'checkpoint.bad_signature', index: null })
  })

  test('a rotation from a key that is not trusted does not pass trust (checkpoint.bad_signature)', () => {
    const log = buildLog(8, { rotations: [{ at: 3, from: X, to: B }], signer: B })
    expect(verdict(verifyExport(log.lines, pinned))).toEqual({ code: 'checkpoint.bad_signature', index: null })
  })

  test.each([
    [
      "the new key's signature is missing",
      (d: Record<string, Canonical>) => {
        const { newSig: _, ...rest } = d
        return rest
      },
    ],
    [
      "the new key's signature is by another key",
      (d: Record<string, Canonical>) => ({ ...d, newSig: toBase64(ed25519.sign(X.privateKey, utf8(d.statement as string))) }),
    ],
    [
      "the old key's signature is missing",
      (d: Record<string, Canonical>) => {
        const { oldSig: _, ...rest } = d
        return rest
      },
    ],
    ['the statement is for another entry', (d: Record<string, Canonical>) => ({ ...d, statement: rotationStatement(A.vkey, B.vkey, 2) })],
  ])('a rotation is refused when %s (key.rotation_invalid)', (_, mangle) => {
    const log = buildLog(8, { rotations: [{ at: 3, from: A, to: B, mangle }], signer: B })
    expect(verdict(verifyExport(log.lines, pinned))).toEqual({ code: 'key.rotation_invalid', index: 3 })
  })
})
