// HTTPS (server/tls.ts, server/config.ts parseTls, server/main.ts): the LAN certificate this server makes for itself,
// and the real server answering over HTTPS to a client that trusts only that certificate's CA.
import { type ChildProcess, spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseConfig, parseTls } from '../server/config.ts'
import { canonicalName, certificateNames, httpsOrigins, lanNames, loadCertificateFiles, loadOrCreateLanCertificate } from '../server/tls.ts'

const tempDir = () => mkdtempSync(join(tmpdir(), 'custody-tls-'))

describe('TLS configuration', () => {
  test('certificate files, a self-signed LAN certificate, or plain HTTP', () => {
    expect(parseTls({})).toBeNull()
    expect(parseConfig({}, []).tls).toBeNull()
    expect(parseTls({ CUSTODY_TLS_CERT: '/etc/c.pem', CUSTODY_TLS_KEY: '/etc/k.pem' })).toEqual({
      kind: 'files',
      certFile: '/etc/c.pem',
      keyFile: '/etc/k.pem',
    })
    expect(parseTls({ CUSTODY_TLS: 'self-signed', CUSTODY_TLS_NAMES: 'custody.lan, 10.1.2.3' })).toEqual({
      kind: 'self-signed',
      extraNames: ['custody.lan', '10.1.2.3'],
    })
    expect(() => parseTls({ CUSTODY_TLS_CERT: '/etc/c.pem' })).toThrow(/CUSTODY_TLS_KEY/)
    expect(() => parseTls({ CUSTODY_TLS: 'yes' })).toThrow(/self-signed/)
    expect(() => parseTls({ CUSTODY_TLS: 'self-signed', CUSTODY_TLS_CERT: '/c', CUSTODY_TLS_KEY: '/k' })).toThrow(/choose one/)
    expect(() => parseTls({ CUSTODY_TLS: 'self-signed', CUSTODY_TLS_NAMES: 'a b' })).toThrow(/CUSTODY_TLS_NAMES/)
  })

  test('the LAN names hold this machine and localhost, one spelling each; origins name the port', () => {
    const names = lanNames(['Custody.LAN', 'FD00:0:0::7'])
    expect(names).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1', 'custody.lan', 'fd00::7']))
    expect(new Set(names).size).toBe(names.length)
    expect(canonicalName('0:0:0:0:0:0:0:1')).toBe('::1')
    expect(httpsOrigins(['localhost', '::1', '192.168.1.5', '*.example.org'], 8443)).toEqual([
      'https://localhost:8443',
      'https://[::1]:8443',
      'https://192.168.1.5:8443',
    ])
    expect(httpsOrigins(['custody.example.org'], 443)).toEqual(['https://custody.example.org'])
  })
})

describe('the self-signed LAN certificate', () => {
  test('a CA of its own signs a server certificate for the names; the CA is kept, the server certificate follows the names', async () => {
    const dir = tempDir()
    const first = await loadOrCreateLanCertificate(dir, ['localhost', '127.0.0.1', '192.168.1.5', 'custody-pc.local'])
    expect(first.made).toEqual(['ca', 'server'])
    const ca = new X509Certificate(readFileSync(first.ca!.file))
    const server = new X509Certificate(first.cert)
    expect(ca.ca).toBe(true)
    expect(server.ca).toBe(false)
    expect(server.checkIssued(ca)).toBe(true)
    expect(server.verify(ca.publicKey)).toBe(true)
    expect(certificateNames(server).sort()).toEqual(['127.0.0.1', '192.168.1.5', 'custody-pc.local', 'localhost'])
    expect(server.checkHost('custody-pc.local')).toBe('custody-pc.local')
    expect(server.checkIP('192.168.1.5')).toBe('192.168.1.5')
    expect(server.checkIP('192.168.1.6')).toBeUndefined()
    expect(server.fingerprint256).toBe(first.fingerprint)
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(new Date(server.validTo).getTime() - Date.now()).toBeLessThan(398 * 86_400_000) // what Apple devices accept
    expect(statSync(join(dir, 'custody-ca.key')).mode & 0o077).toBe(0)
    expect(statSync(join(dir, 'server.key')).mode & 0o077).toBe(0)
    expect(first.key).toMatch(/^-----BEGIN PRIVATE KEY-----/)

    const again = await loadOrCreateLanCertificate(dir, ['localhost', '127.0.0.1', '192.168.1.5', 'custody-pc.local'])
    expect(again.made).toEqual([])
    expect(again.fingerprint).toBe(first.fingerprint)

    // A new address (DHCP gave another): a new server certificate from the same CA, which the tablets already trust.
    const moved = await loadOrCreateLanCertificate(dir, ['localhost', '127.0.0.1', '192.168.1.9'])
    expect(moved.made).toEqual(['server'])
    expect(moved.ca!.fingerprint).toBe(first.ca!.fingerprint)
    expect(new X509Certificate(moved.cert).checkIP('192.168.1.9')).toBe('192.168.1.9')

    // Near its end (within 30 days), it is made again.
    const later = await loadOrCreateLanCertificate(dir, ['localhost'], new Date(Date.now() + 380 * 86_400_000))
    expect(later.made).toEqual(['server'])
  })

  test('certificate files given by the operator are read as they are', async () => {
    const dir = tempDir()
    const made = await loadOrCreateLanCertificate(dir, ['custody.example.org'])
    writeFileSync(join(dir, 'chain.pem'), made.cert)
    const files = loadCertificateFiles(join(dir, 'chain.pem'), join(dir, 'server.key'))
    expect(files.fingerprint).toBe(made.fingerprint)
    expect(files.names).toEqual(['custody.example.org'])
    expect(files.key).toBe(made.key)
  })
})

describe('npm start over HTTPS', () => {
  let proc: ChildProcess
  let out = ''
  let url = ''
  let dataDir = ''

  beforeAll(async () => {
    dataDir = tempDir()
    proc = spawn(process.execPath, ['server/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, CUSTODY_DEMO: '0', CUSTODY_ADMIN_PASSWORD: 'tls test admin password', CUSTODY_TLS: 'self-signed' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000)
      const onData = (d: Buffer) => {
        out += d
        const m = /serving (https:\/\/localhost:\d+)/.exec(out)
        if (m) {
          clearTimeout(t)
          resolve(m[1]!)
        }
      }
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', onData)
      proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)))
    })
  })
  afterAll(() => {
    proc?.removeAllListeners('exit')
    proc?.kill('SIGKILL')
  })

  const caPem = () => readFileSync(join(dataDir, 'tls', 'custody-ca.crt'), 'utf8')

  test('serves HTTPS that a client trusting only the CA accepts; the printed fingerprint is the one served', async () => {
    const res = await fetch(`${url}/api/log/key`, { tls: { ca: caPem() } })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('custody.local/log')
    await expect(fetch(`${url}/api/log/key`)).rejects.toThrow() // not trusted without the CA

    const printed = /HTTPS certificate for [^;]+; SHA-256 fingerprint ([0-9A-F:]+)/.exec(out)?.[1]
    expect(printed).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(out).toContain(`custody-ca.crt (SHA-256 fingerprint ${new X509Certificate(caPem()).fingerprint256})`)
    const served = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(url).port), servername: 'localhost', ca: caPem() }, () => {
        const fp = socket.getPeerCertificate().fingerprint256
        socket.end()
        resolve(fp)
      })
      socket.on('error', reject)
    })
    expect(served).toBe(printed)
  })

  test('the https origin passes the CSRF check, the plain-http one does not, and the session cookie is Secure', async () => {
    const login = (origin: string) =>
      fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'tls test admin password' }),
        tls: { ca: caPem() },
      })
    const refused = await login(url.replace('https:', 'http:'))
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('csrf.origin_mismatch')
    const ok = await login(url)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
  })
})
