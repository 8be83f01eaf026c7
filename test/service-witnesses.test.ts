// The log's witness client (server/services/witnesses.ts) against scripted witnesses: retries with backoff,
// a 409 answered by resending from the witness's size, and only verified cosignatures kept.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { TLOG_SIZE_CONTENT_TYPE, cosignatureLine, formatCosignerVkey, openCosignatures, parseAddCheckpoint } from '../audit/index.ts'
import { ed25519, sha256, utf8 } from '../crypto/index.ts'
import { parseWitnesses } from '../server/config.ts'
import { type WitnessConfig } from '../server/services/witnesses.ts'
import { makeTestApp, testLogKey } from './_app.ts'
import { formatVkey } from '../audit/index.ts'

const W = { name: 'witness.test/scripted', privateKey: sha256(utf8('scripted witness')) }
const VKEY = formatCosignerVkey(W.name, ed25519.publicKey(W.privateKey))
const textOf = (note: string): string => note.slice(0, note.lastIndexOf('\n\n') + 1)
const cosign = (note: string, key = W) => cosignatureLine(textOf(note), 1796371200, key.name, key.privateKey)

type Answer = (req: { oldSize: number; proofLength: number; note: string }) => Response

function appWith(answers: Answer[]) {
  const seen: Array<{ oldSize: number; proofLength: number; note: string }> = []
  const config: WitnessConfig = {
    url: 'http://witness.invalid/',
    vkey: VKEY,
    fetch: async (req) => {
      const body = parseAddCheckpoint(await req.text())
      const r = { oldSize: body.oldSize, proofLength: body.proof.length, note: body.note }
      seen.push(r)
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!
      return answer(r)
    },
  }
  const app = makeTestApp({ witnesses: [config], witnessOptions: { attempts: 3, backoffMs: 5 } })
  return { app, seen }
}

async function grow(app: ReturnType<typeof makeTestApp>, n: number) {
  for (let i = 0; i < n; i++) await app.userWith(['registrar'])
}

describe('pushing checkpoints to a witness', () => {
  test('5xx answers are retried with backoff, then the verified cosignature is kept and served', async () => {
    const { app, seen } = appWith([
      () => new Response('busy', { status: 503 }),
      () => new Response('busy', { status: 503 }),
      (r) => new Response(cosign(r.note), { status: 200 }),
    ])
    await grow(app, 2)
    const cp = app.services.log.checkpoint()
    await app.services.witnesses.settle(2000)
    expect(seen.length).toBe(3)
    const served = await (await app.call('GET', '/api/log/checkpoint')).text()
    expect(openCosignatures(served, [VKEY])).toEqual([expect.objectContaining({ verified: true })])
    expect(app.services.witnesses.status()[0]).toMatchObject({ cosignedSize: cp.size, problem: null })
  })

  test('a 409 names the witness size: the checkpoint is resent with a consistency proof from it', async () => {
    const { app, seen } = appWith([
      () => new Response('3\n', { status: 409, headers: { 'Content-Type': TLOG_SIZE_CONTENT_TYPE } }),
      (r) => new Response(cosign(r.note), { status: 200 }),
    ])
    await grow(app, 3)
    app.services.log.checkpoint()
    await app.services.witnesses.settle(2000)
    expect(seen[0]).toMatchObject({ oldSize: 0, proofLength: 0 })
    expect(seen[1]!.oldSize).toBe(3)
    expect(seen[1]!.proofLength).toBeGreaterThan(0)
    expect(app.services.witnesses.status()[0]!.cosignedSize).toBe(app.services.log.size())
  })

  test('a refusal (422) is not retried and is reported; nothing is stored', async () => {
    const { app, seen } = appWith([() => new Response('witness.inconsistent: FORK or rewritten history\n', { status: 422 })])
    await grow(app, 1)
    app.services.log.checkpoint()
    await app.services.witnesses.settle(2000)
    expect(seen.length).toBe(1)
    expect(app.services.witnesses.status()[0]).toMatchObject({ cosignedSize: null, problem: expect.stringContaining('(422): witness.inconsistent') })
  })

  test('a cosignature that does not verify with the configured witness key is not stored', async () => {
    const impostor = { name: W.name, privateKey: sha256(utf8('impostor')) }
    const { app } = appWith([(r) => new Response(cosign(r.note, impostor) + cosign(r.note.replace(/\n\d+\n/, '\n999\n')), { status: 200 })])
    await grow(app, 1)
    const cp = app.services.log.checkpoint()
    await app.services.witnesses.settle(2000)
    expect(app.services.witnesses.cosigned(cp)).toBe(cp.note)
    expect(app.services.witnesses.status()[0]).toMatchObject({ cosignedSize: null, problem: expect.stringContaining('without a cosignature that verifies') })
  })

  test('the witness page lists the configured witness by name and key id (public)', async () => {
    const { app } = appWith([(r) => new Response(cosign(r.note), { status: 200 })])
    const res = await app.call('GET', '/api/log/witnesses')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ witnesses: [expect.objectContaining({ name: W.name, vkey: VKEY, keyId: VKEY.split('+')[1] })] })
  })
})

describe('CUSTODY_WITNESSES', () => {
  test('"URL VKEY" pairs separated by commas; a log key or a missing URL is refused at start-up', () => {
    expect(parseWitnesses(`https://w1.example/ ${VKEY}, http://127.0.0.1:8090 ${VKEY}`)).toEqual([
      { url: 'https://w1.example/', vkey: VKEY },
      { url: 'http://127.0.0.1:8090', vkey: VKEY },
    ])
    expect(parseWitnesses(undefined)).toEqual([])
    expect(() => parseWitnesses(VKEY)).toThrow(/URL VKEY/)
    expect(() => parseWitnesses('https://w1.example/ custody.test/log+12345678+AQ==')).toThrow(/not a witness key/)
  })
})

describe('verify-log --data DIR --witness VKEY', () => {
  test('the newest checkpoint the witness cosigned is verified with its cosignature; another witness is absent (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-witness-data-'))
    try {
      const config: WitnessConfig = {
        url: 'http://witness.invalid',
        vkey: VKEY,
        fetch: async (req) => new Response(cosign((await req.text()).split('\n\n').slice(1).join('\n\n')), { status: 200 }),
      }
      const app = makeTestApp({ db: join(dir, 'custody.db'), witnesses: [config] })
      await grow(app, 2)
      app.services.log.checkpoint()
      await app.services.witnesses.settle(2000)
      await grow(app, 1) // newer entries, not yet cosigned
      app.services.witnesses.stop()
      app.services.log.signCheckpoint()
      app.close()
      const key = formatVkey(testLogKey().name, testLogKey().publicKey)
      const run = (witness: string) =>
        spawnSync(process.execPath, ['server/cli/verify-log.ts', '--data', dir, '--key', key, '--witness', witness], {
          cwd: join(import.meta.dirname, '..'),
          encoding: 'utf8',
        })
      const ok = run(VKEY)
      expect(ok.stdout).toMatch(
        /^ok: \d+ events, .*cosigned by witness\.test\/scripted\+[0-9a-f]{8} at 2026-12-04T08:00:00\.000Z \(\+\d+ newer entries not yet in a cosigned checkpoint\)/,
      )
      expect(ok.status).toBe(0)
      const stranger = formatCosignerVkey('witness.test/stranger', ed25519.publicKey(sha256(utf8('stranger'))))
      const absent = run(stranger)
      expect(absent.stdout).toMatch(/checkpoint\.not_cosigned: the checkpoint carries no cosignature by witness witness\.test\/stranger/)
      expect(absent.status).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
