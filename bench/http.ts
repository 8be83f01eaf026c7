/**
 * An authenticated state-changing request through the full Hono app under concurrent load
 * on loopback: PATCH /api/users/{id} (a display-name change) with the session cookie and the Origin
 * header — secure headers, origin check, session lookup, zod validation, the domain decision, the
 * UPDATE and its custody event in one transaction (WAL, synchronous=FULL). Baseline, same run: a
 * bare Hono + bun:sqlite insert route with the same pragmas. Each server is a child `bun` process
 * on 127.0.0.1 with a free port (bench/_http-server.ts); load comes from autocannon in a node child
 * process: 16 connections, 1 s warm-up, then 5 s measured. Target: at least 1/3 of the bare route.
 * Run alone: `bun bench/http.ts [SECONDS]`.
 */
import { Database } from 'bun:sqlite'
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ROOT, withTempDir } from './_fixtures.ts'
import { ADMIN_PASSWORD } from './_http-server.ts'
import { type Benchmark, type Row, fmt, formatTable, row } from './_report.ts'

const BENCH = 'http'
const CONNECTIONS = 16

interface Server {
  url: string
  proc: ChildProcess
}

async function startServer(mode: 'app' | 'bare', dir: string): Promise<Server> {
  const proc = spawn(process.execPath, ['bench/_http-server.ts', mode, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${mode} server did not start:\n${out}`)), 30_000)
    const onData = (d: Buffer) => {
      out += d
      const line = out.split('\n').find((l) => l.startsWith('{"url"'))
      if (line) {
        clearTimeout(t)
        resolve((JSON.parse(line) as { url: string }).url)
      }
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', (d: Buffer) => {
      out += d
    })
    proc.on('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`${mode} server exited ${code}:\n${out}`))
    })
  })
  proc.removeAllListeners('exit')
  return { url, proc }
}

function stopServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null) return resolve()
    s.proc.on('exit', () => resolve())
    s.proc.kill('SIGTERM')
  })
}

interface Load {
  requests: number
  rps: number
  p50: number
  p99: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
}

/** Runs autocannon programmatically in a node child process (node's HTTP client, off this process). */
async function autocannon(opts: { url: string; method: string; headers: Record<string, string>; body: string; duration: number }): Promise<Load> {
  const entry = createRequire(join(ROOT, 'package.json')).resolve('autocannon')
  const script = `
    const autocannon = require(${JSON.stringify(entry)})
    autocannon({ ...JSON.parse(process.argv[1]), connections: ${CONNECTIONS}, idReplacement: true }).then((r) => {
      process.stdout.write(JSON.stringify({ requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99,
        ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts }))
    }, (e) => { console.error(e); process.exit(1) })`
  const node = Bun.which('node')
  if (!node) throw new Error('node is needed to run autocannon')
  const p = Bun.spawn([node, '-e', script, JSON.stringify(opts)], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${stderr}`)
  return JSON.parse(stdout) as Load
}

/** 1 s warm-up (discarded), then the measured run; every response must be a 2xx. */
async function load(
  name: string,
  opts: Omit<Parameters<typeof autocannon>[0], 'duration'>,
  seconds: number,
  progress: (m: string) => void,
): Promise<Load & { warmup: number }> {
  const warm = await autocannon({ ...opts, duration: 1 })
  const r = await autocannon({ ...opts, duration: seconds })
  for (const x of [warm, r]) {
    if (x.non2xx > 0 || x.errors > 0 || x.timeouts > 0)
      throw new Error(`${name}: ${x.non2xx} non-2xx, ${x.errors} errors, ${x.timeouts} timeouts of ${x.requests} requests`)
  }
  progress(`  ${name}: ${fmt(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests.toLocaleString('en')} requests)`)
  return { ...r, warmup: warm.ok }
}

async function post(url: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(url + path, {
    method: 'POST',
    headers: { Origin: url, 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  })
}

export async function benchHttp(progress: (m: string) => void = () => {}, seconds = 5): Promise<Row[]> {
  return withTempDir('http', async (dir) => {
    const bare = await startServer('bare', dir)
    let bareLoad: Load
    try {
      bareLoad = await load(
        'bare Hono + bun:sqlite INSERT',
        {
          url: `${bare.url}/api/rows/r1`,
          method: 'PATCH',
          headers: { Origin: bare.url, 'Content-Type': 'application/json' },
          body: JSON.stringify({ displayName: '张伟 [<id>]' }),
        },
        seconds,
        progress,
      )
    } finally {
      await stopServer(bare)
    }

    const app = await startServer('app', dir)
    let appLoad: Load & { warmup: number }
    try {
      const login = await post(app.url, '/api/session', { username: 'admin', password: ADMIN_PASSWORD })
      if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`)
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!
      const made = await post(
        app.url,
        '/api/users',
        { username: 'zhang.wei', displayName: '张伟', roles: ['custodian'], password: 'bench user password' },
        cookie,
      )
      if (made.status !== 201) throw new Error(`create user: ${made.status} ${await made.text()}`)
      const { id } = (await made.json()) as { id: string }
      appLoad = await load(
        'full app PATCH /api/users/{id}',
        {
          url: `${app.url}/api/users/${id}`,
          method: 'PATCH',
          headers: { Origin: app.url, 'Content-Type': 'application/json', Cookie: cookie },
          body: JSON.stringify({ displayName: '张伟 [<id>]' }),
        },
        seconds,
        progress,
      )
    } finally {
      await stopServer(app)
    }
    // Every acknowledged change has its event: count them in the closed database. autocannon stops
    // counting at the deadline, so up to one in-flight request per connection per run is served uncounted.
    const db = new Database(join(dir, 'custody.db'), { readonly: true })
    const events = db.query<{ n: number }, []>("SELECT count(*) AS n FROM log_entries WHERE action = 'user.updated'").get()!.n
    db.close()
    const answered = appLoad.ok + appLoad.warmup
    if (events < answered || events > answered + 2 * CONNECTIONS)
      throw new Error(`${answered} PATCHes answered 200 but ${events} user.updated events were logged`)

    const how = `${CONNECTIONS} connections, ${seconds} s after a 1 s warm-up, loopback, autocannon in a node child process`
    return [
      row({
        bench: BENCH,
        name: 'HTTP PATCH /api/users/{id}, full app: rate',
        figure: appLoad.rps,
        unit: 'req/s',
        baseline: { name: 'bare Hono + INSERT route', value: bareLoad.rps },
        targets: [{ ratioAtLeast: 1 / 3 }],
        notes: [
          `${how}; session cookie + Origin; every response 200 and each has its user.updated event (${events.toLocaleString('en')} in the log)`,
          `full app p50 ${appLoad.p50} ms; bare p50 ${bareLoad.p50} ms`,
        ],
      }),
      row({
        bench: BENCH,
        name: 'HTTP PATCH /api/users/{id}, full app: p99',
        figure: appLoad.p99,
        unit: 'ms',
        baseline: { name: 'bare route p99', value: bareLoad.p99 },
      }),
    ]
  })
}

export const httpBenchmark: Benchmark = { name: BENCH, title: 'authenticated writes through the full HTTP app', run: (p) => benchHttp(p) }

if (import.meta.main) {
  console.log(formatTable(await benchHttp(console.log, Number(process.argv[2] ?? 5))))
}
