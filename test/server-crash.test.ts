import { describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { freshDataDir, killHard, loginCookie, startServer } from './_server-process.ts'

const root = join(import.meta.dirname, '..')

describe('nothing acknowledged is lost on kill -9', () => {
  test('every acknowledged change is there after SIGKILL and restart, and the log verifies', async () => {
    const dataDir = freshDataDir()
    const first = await startServer(dataDir)
    const admin = await loginCookie(first.url, 'admin', 'crash test password')
    const post = (path: string, method: string, body: unknown) =>
      fetch(`${first.url}${path}`, {
        method,
        headers: { Origin: first.url, 'Content-Type': 'application/json', Cookie: admin },
        body: JSON.stringify(body),
      })
    // One target account per writer, so each writer's last acknowledged value is known exactly.
    const workers = 4
    const ids: string[] = []
    for (let k = 0; k < workers; k++) {
      const r = await post('/api/users', 'POST', { username: `writer${k}`, displayName: 'w', roles: ['registrar'], password: 'long enough password' })
      expect(r.status).toBe(201)
      ids.push(((await r.json()) as { id: string }).id)
    }
    const acked = new Array<number>(workers).fill(-1)
    let stop = false
    const loops = ids.map(async (id, k) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await post(`/api/users/${id}`, 'PATCH', { displayName: `w${k}-${i}` })
          if (r.status === 200) acked[k] = i
        } catch {
          return
        } // the connection dies with the server
      }
    })
    await new Promise((r) => setTimeout(r, 1500))
    await killHard(first)
    stop = true
    await Promise.all(loops)
    const total = acked.reduce((a, b) => a + b + 1, 0)
    expect(total).toBeGreaterThan(20)

    const second = await startServer(dataDir)
    try {
      expect(second.output()).not.toMatch(/DOES NOT MATCH/)
      const cookie = await loginCookie(second.url, 'admin', 'crash test password')
      const users = (
        (await (await fetch(`${second.url}/api/users`, { headers: { Cookie: cookie } })).json()) as { users: Array<{ id: string; displayName: string }> }
      ).users
      for (let k = 0; k < workers; k++) {
        const name = users.find((u) => u.id === ids[k])!.displayName
        const i = Number(name.split('-')[1])
        // The last acknowledged write, or the one in flight when the process died: never an earlier one.
        expect(i).toBeGreaterThanOrEqual(acked[k]!)
      }
      let updates = 0
      for (let start = 0; ; start += 1000) {
        const page = (await (await fetch(`${second.url}/api/log/entries?start=${start}&end=${start + 1000}`, { headers: { Cookie: cookie } })).json()) as {
          size: number
          entries: Array<{ event: { action: string } }>
        }
        updates += page.entries.filter((e) => e.event.action === 'user.updated').length
        if (start + 1000 >= page.size) break
      }
      expect(updates).toBeGreaterThanOrEqual(total)
    } finally {
      await killHard(second)
    }
    const verify = spawnSync(process.execPath, ['server/cli/verify-log.ts', '--data', dataDir], { cwd: root, encoding: 'utf8' })
    expect(verify.stdout + verify.stderr).toMatch(/^ok/m)
    expect(verify.status).toBe(0)
  }, 60_000)
})
