// Two servers on loopback: the log server (createApp + Bun.serve) and the witness program as an outsider runs
// it (`bun server/cli/witness.ts`, a child process with its own key and state folder), then verify-log --witness.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { formatCosignerVkey, formatVkey, openCosignatures, openNote } from '../audit/index.ts'
import { ed25519, sha256, utf8 } from '../crypto/index.ts'
import { createApp, type CustodyApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { ORIGIN, TEST_PASSWORD, testLogKey } from './_app.ts'

const ROOT = join(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'custody-loopback-'))
const LOG = testLogKey()
const LOG_VKEY = formatVkey(LOG.name, LOG.publicKey)

let witness: { proc: ChildProcess; url: string; vkey: string; output: () => string }
const servers: Array<{ custody: CustodyApp; server: ReturnType<typeof Bun.serve>; url: string }> = []

function startWitness(): Promise<typeof witness> {
  const proc = spawn(
    process.execPath,
    ['server/cli/witness.ts', '--data', join(dir, 'witness'), '--port', '0', '--host', '127.0.0.1', '--log-key', LOG_VKEY, '--name', 'witness.test/loopback'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the witness did not start:\n${out}`)), 20_000)
    proc.stdout!.on('data', () => {
      const url = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      const vkey = /vkey (\S+)/.exec(out)?.[1]
      if (url && vkey) {
        clearTimeout(t)
        resolve({ proc, url, vkey, output: () => out })
      }
    })
    proc.on('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`the witness exited ${code}:\n${out}`))
    })
  })
}

function startLog(): (typeof servers)[number] {
  const custody = createApp({
    db: ':memory:',
    logKey: LOG,
    ticketKey: testLogKey(2, 'custody.test/tickets'),
    scrypt: TEST_SCRYPT,
    trustedOrigins: [ORIGIN],
    witnesses: [{ url: witness.url, vkey: witness.vkey }],
    witnessOptions: { attempts: 2, backoffMs: 50 },
  })
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: custody.app.fetch })
  const s = { custody, server, url: `http://127.0.0.1:${server.port}` }
  servers.push(s)
  return s
}

async function addUsers(s: (typeof servers)[number], prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await s.custody.services.accounts.create(
      { system: 'test' },
      { username: `${prefix}${i}`, displayName: `${prefix}${i}`, roles: ['supervisor'], password: TEST_PASSWORD },
    )
    if (!r.ok) throw new Error(r.error.code)
  }
}

beforeAll(async () => {
  witness = await startWitness()
}, 30_000)
afterAll(() => {
  for (const s of servers) {
    s.server.stop(true)
    s.custody.close()
  }
  witness?.proc.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
})

describe('a log server and an outside witness on loopback', () => {
  let log: (typeof servers)[number]
  let cosignedSize = 0

  test('the log serves its checkpoint with the witness cosignature, which verifies with the witness vkey', async () => {
    log = startLog()
    await addUsers(log, 'anna', 3)
    const note = await (await fetch(`${log.url}/api/log/checkpoint`)).text()
    expect(openNote(note, [LOG_VKEY]).signatures.filter((s) => s.verified).length).toBe(1)
    const cosigs = openCosignatures(note, [witness.vkey])
    expect(cosigs).toEqual([expect.objectContaining({ verified: true, name: 'witness.test/loopback' })])
    expect(Math.abs(cosigs[0]!.time - Date.now() / 1000)).toBeLessThan(60)
    cosignedSize = Number(note.split('\n')[1])
    expect(cosignedSize).toBeGreaterThan(0)
  })

  test('a grown log is cosigned again: the witness checked a consistency proof from the size it cosigned', async () => {
    await addUsers(log, 'bert', 4)
    const note = await (await fetch(`${log.url}/api/log/checkpoint`)).text()
    const size = Number(note.split('\n')[1])
    expect(size).toBeGreaterThan(cosignedSize)
    expect(openCosignatures(note, [witness.vkey])[0]?.verified).toBe(true)
    const status = (await (await fetch(`${log.url}/api/log/witnesses`)).json()) as {
      witnesses: Array<{ vkey: string; cosignedSize: number; problem: string | null }>
    }
    expect(status.witnesses).toEqual([expect.objectContaining({ vkey: witness.vkey, cosignedSize: size, problem: null })])
    cosignedSize = size
  })

  test('verify-log --witness VKEY accepts the export and names the cosignature; another witness key is absent (exit 1)', async () => {
    // Logged in as the test fixtures do (their origin is the one every app test is configured with); the export is fetched over loopback.
    const login = await log.custody.app.request(`${ORIGIN}/api/session`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'anna0', password: TEST_PASSWORD }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const file = join(dir, 'export.jsonl')
    writeFileSync(file, await (await fetch(`${log.url}/api/log/export`, { headers: { Cookie: cookie } })).text())
    const ok = spawnSync(process.execPath, ['server/cli/verify-log.ts', file, '--key', LOG_VKEY, '--witness', witness.vkey], { cwd: ROOT, encoding: 'utf8' })
    expect(ok.stdout).toMatch(/^ok: \d+ events, .* cosigned by witness\.test\/loopback\+[0-9a-f]{8} at 20\d\d-/)
    expect(ok.status).toBe(0)
    const stranger = formatCosignerVkey('witness.test/stranger', ed25519.publicKey(sha256(utf8('a witness that never saw this log'))))
    const absent = spawnSync(process.execPath, ['server/cli/verify-log.ts', file, '--key', LOG_VKEY, '--witness', stranger], { cwd: ROOT, encoding: 'utf8' })
    expect(absent.stdout).toMatch(/FAIL at checkpoint: checkpoint\.not_cosigned: the checkpoint carries no cosignature by witness witness\.test\/stranger\+/)
    expect(absent.status).toBe(1)
  })

  test('a rewritten log (same key, another history) is refused by the witness and gets no cosignature', async () => {
    const rewritten = startLog()
    await addUsers(rewritten, 'mallory', 12) // longer than the honest log, so it claims to extend it
    const note = await (await fetch(`${rewritten.url}/api/log/checkpoint`)).text()
    expect(Number(note.split('\n')[1])).toBeGreaterThan(cosignedSize)
    expect(openCosignatures(note, [witness.vkey])).toEqual([])
    const status = rewritten.custody.services.witnesses.status()[0]!
    expect(status.cosignedSize).toBeNull()
    expect(status.problem).toMatch(/refused checkpoint \d+ \(422\): witness\.inconsistent: FORK or rewritten history/)
    expect(witness.output()).toMatch(/REFUSED custody\.test\/log size \d+: FORK or rewritten history/)
    // The honest log goes on being cosigned.
    await addUsers(log, 'carl', 1)
    const honest = await (await fetch(`${log.url}/api/log/checkpoint`)).text()
    expect(openCosignatures(honest, [witness.vkey])[0]?.verified).toBe(true)
  })
})
