import { describe, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { Database } from 'bun:sqlite'
import { freshDataDir, killHard, loginCookie, startServer } from './_server-process.ts'

const root = join(import.meta.dirname, '..')
const run = (...args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' })

describe('backup and verification from a data folder', () => {
  test('npm run backup copies the database online; verify-log --data accepts the copy and names a tampered entry', async () => {
    const dataDir = freshDataDir()
    const server = await startServer(dataDir)
    let vkey = ''
    try {
      const cookie = await loginCookie(server.url, 'admin', 'crash test password')
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${server.url}/api/users`, {
          method: 'POST',
          headers: { Origin: server.url, 'Content-Type': 'application/json', Cookie: cookie },
          body: JSON.stringify({ username: `staff${i}`, displayName: '员工', roles: ['registrar'], password: 'long enough password' }),
        })
        expect(r.status).toBe(201)
      }
      vkey = (await (await fetch(`${server.url}/api/log/key`)).text()).split('\n')[0]!
      await fetch(`${server.url}/api/log/checkpoint`) // signs over everything written so far
      const copy = join(dataDir, 'backup.db')
      const b = run('server/cli/backup.ts', copy, '--data', dataDir) // while the server runs
      expect(b.status, b.stderr).toBe(0)

      const ok = run('server/cli/verify-log.ts', '--data', copy, '--key', vkey)
      expect(ok.status, ok.stdout + ok.stderr).toBe(0)
      expect(ok.stdout).toMatch(/^ok: \d+ events/m)

      const wrongKey = run('server/cli/verify-log.ts', '--data', copy, '--key', vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))
      expect(wrongKey.status).not.toBe(0)

      // Tamper with one entry of the copy: the verifier names it.
      const db = new Database(copy)
      db.run('DROP TRIGGER log_entries_no_update')
      db.run(
        `UPDATE log_entries SET bytes = CAST(replace(CAST(bytes AS TEXT), '"staff2"', '"staffX"') AS BLOB) WHERE action = 'user.created' AND CAST(bytes AS TEXT) LIKE '%"staff2"%'`,
      )
      const idx = (db.query(`SELECT idx FROM log_entries WHERE CAST(bytes AS TEXT) LIKE '%"staffX"%'`).get() as { idx: number }).idx
      db.close()
      const bad = run('server/cli/verify-log.ts', '--data', copy, '--key', vkey)
      expect(bad.status).toBe(1)
      expect(bad.stdout).toMatch(new RegExp(`FAIL at entry ${idx}:`))
    } finally {
      await killHard(server)
    }
  }, 60_000)
})
