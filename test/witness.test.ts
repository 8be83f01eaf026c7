// The witness program (server/witness/): the add-checkpoint state machine of c2sp.org/tlog-witness.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import {
  type NodeSource,
  TLOG_SIZE_CONTENT_TYPE,
  consistencyProof,
  formatAddCheckpoint,
  formatCheckpoint,
  formatVkey,
  leafHash,
  rootOf,
  signNote,
  verifyCosignature,
} from '../audit/index.ts'
import { ed25519, sha256, utf8 } from '../crypto/index.ts'
import { FileWitnessState, MemoryWitnessState, createWitness, type WitnessState } from '../server/witness/index.ts'

const ORIGIN = 'custody.test/log'
const LOG_KEY = sha256(utf8('witness test log key'))
const LOG_VKEY = formatVkey(ORIGIN, ed25519.publicKey(LOG_KEY))
const WITNESS_KEY = { name: 'witness.test/w1', privateKey: sha256(utf8('witness test witness key')) }
const T = Date.parse('2026-12-04T08:00:00Z')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A log as a list of entries: roots, proofs and signed checkpoints of any prefix. */
class TestLog {
  constructor(
    readonly entries: string[],
    readonly key = LOG_KEY,
    readonly origin = ORIGIN,
  ) {}
  private get leaves(): Uint8Array[] {
    return this.entries.map((e) => leafHash(utf8(e)))
  }
  private get nodes(): NodeSource {
    const leaves = this.leaves
    return { node: (level, idx) => rootOf(leaves.slice(idx * 2 ** level, (idx + 1) * 2 ** level)) }
  }
  root(size: number): Uint8Array {
    return rootOf(this.leaves.slice(0, size))
  }
  note(size: number): string {
    return signNote(formatCheckpoint({ origin: this.origin, size, rootHash: this.root(size) }), this.origin, this.key)
  }
  proof(from: number, to: number): Uint8Array[] {
    return from === 0 || from === to ? [] : consistencyProof(this.nodes, from, to)
  }
  body(old: number, size: number): string {
    return formatAddCheckpoint({ oldSize: old, proof: this.proof(old, size), note: this.note(size) })
  }
}

const entries = (n: number, tag = 'e'): string[] => Array.from({ length: n }, (_, i) => `${tag}${i}`)

function witnessWith(state: WitnessState = new MemoryWitnessState(), evidenceDir?: string) {
  const said: string[] = []
  const w = createWitness({ key: WITNESS_KEY, logKeys: [LOG_VKEY], state, clock: () => T, evidenceDir, say: (l) => said.push(l) })
  const add = async (body: string) => {
    const res = await w.app.request('http://witness/add-checkpoint', { method: 'POST', body })
    return { status: res.status, type: res.headers.get('Content-Type') ?? '', text: await res.text() }
  }
  return { ...w, add, said, state }
}

const textOf = (note: string): string => note.slice(0, note.lastIndexOf('\n\n') + 1)

describe('add-checkpoint', () => {
  const log = new TestLog(entries(13))

  test('the first checkpoint of a log is cosigned from old size 0, with a timestamped cosignature/v1 line', async () => {
    const w = witnessWith()
    const r = await w.add(log.body(0, 5))
    expect(r.status).toBe(200)
    expect(r.text.startsWith('\u2014 witness.test/w1 ')).toBe(true)
    expect(verifyCosignature(textOf(log.note(5)), r.text, w.vkey)).toBe(T / 1000)
    expect(w.state.get(ORIGIN)?.size).toBe(5)
  })

  test('a consistent larger checkpoint is cosigned with a proof from the size last cosigned', async () => {
    const w = witnessWith()
    expect((await w.add(log.body(0, 5))).status).toBe(200)
    expect((await w.add(log.body(5, 8))).status).toBe(200)
    expect((await w.add(log.body(8, 13))).status).toBe(200)
    expect(w.state.get(ORIGIN)?.size).toBe(13)
    // the same checkpoint again is cosigned again (a retry after a lost answer)
    expect((await w.add(log.body(13, 13))).status).toBe(200)
  })

  test('an old size that is not the size last cosigned gets 409 with that size as text/x.tlog.size', async () => {
    const w = witnessWith()
    await w.add(log.body(0, 8))
    const r = await w.add(log.body(5, 13))
    expect(r).toEqual({ status: 409, type: TLOG_SIZE_CONTENT_TYPE, text: '8\n' })
    expect(await w.add(log.body(0, 13))).toMatchObject({ status: 409, text: '8\n' })
    expect(w.state.get(ORIGIN)?.size).toBe(8)
  })

  test('a consistency proof that does not verify gets 422 and nothing is cosigned (witness.inconsistent)', async () => {
    const w = witnessWith()
    await w.add(log.body(0, 5))
    const proof = log.proof(5, 13)
    proof[0] = sha256(utf8('not a node'))
    const r = await w.add(formatAddCheckpoint({ oldSize: 5, proof, note: log.note(13) }))
    expect(r.status).toBe(422)
    expect(r.text).toMatch(/^witness\.inconsistent/)
    expect(w.state.get(ORIGIN)?.size).toBe(5)
  })

  test('a checkpoint not signed by the log key gets 403, an unknown log 404, a malformed body 400', async () => {
    const w = witnessWith()
    const forged = new TestLog(entries(13), sha256(utf8('someone else')))
    expect((await w.add(forged.body(0, 5))).status).toBe(403)
    const other = new TestLog(entries(13), LOG_KEY, 'other.test/log')
    expect((await w.add(other.body(0, 5))).status).toBe(404)
    expect((await w.add('old 0\n' + log.note(5))).status).toBe(400)
    expect((await w.add(formatAddCheckpoint({ oldSize: 9, proof: [], note: log.note(5) }))).status).toBe(400)
    expect(w.state.get(ORIGIN)).toBeNull()
  })

  test('a second root for a size already cosigned is a fork: refused (409 witness.fork), said, and kept as evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-witness-'))
    dirs.push(dir)
    const w = witnessWith(new MemoryWitnessState(), join(dir, 'evidence'))
    await w.add(log.body(0, 8))
    const forked = new TestLog([...entries(7), 'a different eighth entry'])
    const r = await w.add(forked.body(8, 8))
    expect(r.status).toBe(409)
    expect(r.type).not.toContain(TLOG_SIZE_CONTENT_TYPE)
    expect(r.text).toMatch(/^witness\.fork: FORK: custody\.test\/log signed two different roots for size 8/)
    expect(w.said.join('\n')).toMatch(/REFUSED custody\.test\/log size 8: FORK/)
    const kept = readdirSync(join(dir, 'evidence'))
    expect(kept.length).toBe(1)
    expect(readFileSync(join(dir, 'evidence', kept[0]!), 'utf8')).toContain(forked.note(8))
    expect(w.state.get(ORIGIN)?.root).toEqual(log.root(8))
  })

  test('a rewritten log is refused: its proof from the cosigned size does not lead to the cosigned root (422)', async () => {
    const w = witnessWith()
    await w.add(log.body(0, 8))
    const rewritten = new TestLog(['e0', 'e1', 'e2 (changed)', ...entries(13).slice(3), 'e13', 'e14'])
    const r = await w.add(rewritten.body(8, 15))
    expect(r.status).toBe(422)
    expect(r.text).toContain('rewritten history')
    expect(w.state.get(ORIGIN)?.size).toBe(8)
  })
})

describe('the state folder', () => {
  test('the cosigned size is on disk before the answer, and a restarted witness remembers it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-witness-'))
    dirs.push(dir)
    const log = new TestLog(entries(6))
    const first = witnessWith(new FileWitnessState(dir))
    expect((await first.add(log.body(0, 6))).status).toBe(200)
    const files = readdirSync(join(dir, 'state'))
    expect(files.length).toBe(1)
    expect(JSON.parse(readFileSync(join(dir, 'state', files[0]!), 'utf8'))).toMatchObject({ origin: ORIGIN, size: 6 })
    expect(existsSync(join(dir, 'state', `${files[0]}.tmp`))).toBe(false)
    const restarted = witnessWith(new FileWitnessState(dir))
    expect(await restarted.add(log.body(0, 6))).toMatchObject({ status: 409, text: '6\n' })
  })
})

describe('the witness program', () => {
  test('GET / names the witness, its vkey and the size it last cosigned per log', async () => {
    const w = witnessWith()
    await w.add(new TestLog(entries(4)).body(0, 4))
    const text = await (await w.app.request('http://witness/')).text()
    expect(text).toBe(`tlog-witness witness.test/w1\nvkey ${w.vkey}\nlog ${ORIGIN} 4\n`)
  })

  test('npm run witness without a log key or a data folder says what is missing (exit 2)', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['server/cli/witness.ts', ...args], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' })
    const noKey = run('--data', join(tmpdir(), 'never-created'))
    expect(noKey.status).toBe(2)
    expect(noKey.stderr).toContain('--log-key VKEY')
    const badKey = run('--data', join(tmpdir(), 'never-created'), '--log-key', 'not-a-key')
    expect(badKey.status).toBe(2)
    expect(badKey.stderr).toContain('invalid --log-key')
  })
})
