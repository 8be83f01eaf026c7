/** Starts the real server (server/main.ts) as a child process on a free port with its own data folder. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ServerProcess {
  url: string
  proc: ChildProcess
  output: () => string
  dataDir: string
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'custody-test-'))
}

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['server/main.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, CUSTODY_DEMO: '0', CUSTODY_ADMIN_PASSWORD: 'crash test password', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout!.on('data', (d) => {
    out += d
  })
  proc.stderr!.on('data', (d) => {
    out += d
  })
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
    const check = () => {
      const m = /serving (http:\/\/localhost:\d+)/.exec(out)
      if (m) {
        clearTimeout(t)
        resolve(m[1]!)
      }
    }
    proc.stdout!.on('data', check)
    proc.on('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`server exited ${code}:\n${out}`))
    })
  })
  return { url, proc, output: () => out, dataDir }
}

export function killHard(p: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    p.proc.removeAllListeners('exit')
    p.proc.on('exit', () => resolve())
    p.proc.kill('SIGKILL')
  })
}

export async function loginCookie(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { Origin: url, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`login failed ${res.status}: ${await res.text()}`)
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!
  // The bootstrap administrator's password is one-time (decision 005). Tests log in with it again after a
  // restart, so it is replaced by a temporary one and then chosen again as the administrator's own.
  if (((await res.json()) as { user: { mustChangePassword?: boolean } }).user.mustChangePassword) {
    const change = async (currentPassword: string, newPassword: string) => {
      const r = await fetch(`${url}/api/session/password`, {
        method: 'PUT',
        headers: { Origin: url, 'Content-Type': 'application/json', Cookie: cookie },
        body: JSON.stringify({ currentPassword, newPassword }),
      })
      if (r.status !== 200) throw new Error(`password change failed ${r.status}: ${await r.text()}`)
    }
    await change(password, 'a temporary own password 7')
    await change('a temporary own password 7', password)
  }
  return cookie
}
