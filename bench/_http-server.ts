/**
 * A server for bench/http.ts, run as a child process: `bun bench/_http-server.ts app|bare DATA_DIR`.
 * Listens on 127.0.0.1 on a free port and prints one JSON line: { "url": "http://127.0.0.1:PORT" }.
 *   app:  the full Custody app (createApp, as server/main.ts wires it, with its checkpoint timer) on
 *         DATA_DIR/custody.db, with an administrator "admin" whose password is ADMIN_PASSWORD.
 *   bare: a bare Hono route, PATCH /api/rows/{id} → one INSERT of the JSON body, on DATA_DIR/bare.db
 *         with the same pragmas (WAL, synchronous=FULL): the floor an HTTP write with a commit costs.
 * SIGTERM stops it cleanly.
 */
import { Database } from 'bun:sqlite'
import { Hono } from 'hono'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { benchKeys } from './_fixtures.ts'

export const ADMIN_PASSWORD = 'bench admin password'

async function appServer(dir: string, origins: () => readonly string[]): Promise<{ fetch: (r: Request) => Response | Promise<Response>; stop: () => void }> {
  const custody = createApp({ db: join(dir, 'custody.db'), ...benchKeys(), publicOrigins: origins })
  const { services } = custody
  // Not bootstrapAdmin: its password is one-time (decision 005), and the bench PATCHes at once.
  const admin = await services.accounts.create(
    { system: 'bench' },
    { username: 'admin', displayName: '系统管理员 Administrator', roles: ['admin'], password: ADMIN_PASSWORD },
  )
  if (!admin.ok) throw new Error(admin.error.code)
  // As server/main.ts: a checkpoint every 2 s while events arrive.
  const timer = setInterval(() => {
    const last = services.log.store.latestCheckpoint()
    if (services.log.size() !== (last?.size ?? -1)) services.log.signCheckpoint()
  }, 2000)
  return {
    fetch: custody.app.fetch,
    stop: () => {
      clearInterval(timer)
      custody.close()
    },
  }
}

function bareServer(dir: string): { fetch: (r: Request) => Response | Promise<Response>; stop: () => void } {
  const db = new Database(join(dir, 'bare.db'), { create: true, strict: true })
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA synchronous = FULL')
  db.run('CREATE TABLE rows (n INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL)')
  const insert = db.query<unknown, [string, string]>('INSERT INTO rows (id, body) VALUES (?, ?)')
  const app = new Hono()
  app.patch('/api/rows/:id', async (c) => {
    const body = await c.req.json<Record<string, unknown>>()
    insert.run(c.req.param('id'), JSON.stringify(body))
    return c.json({ id: c.req.param('id'), ...body }, 200)
  })
  return { fetch: app.fetch, stop: () => db.close() }
}

if (import.meta.main) {
  const [mode, dir] = process.argv.slice(2)
  if ((mode !== 'app' && mode !== 'bare') || !dir) {
    console.error('usage: bun bench/_http-server.ts app|bare DATA_DIR')
    process.exit(2)
  }
  let origins: readonly string[] = []
  const handler = mode === 'app' ? await appServer(dir, () => origins) : bareServer(dir)
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler.fetch })
  origins = [`http://127.0.0.1:${server.port}`]
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }))
  process.on('SIGTERM', () => {
    server.stop(true)
    handler.stop()
    process.exit(0)
  })
}
