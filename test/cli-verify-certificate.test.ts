import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { certificateQr, ed25519, signCertificate, toBase64 } from '../crypto/index.ts'
import { parseKey, parseKeysJson, verifyCertificateCli } from '../server/cli/verify-certificate.ts'
import { CERT, KEY_ID, PRIV, PUB } from './_certificate-vectors.ts'

const OTHER_PUB = ed25519.publicKey(new Uint8Array(32).fill(0x0d))
const TEXT = signCertificate(CERT, KEY_ID, (m) => ed25519.sign(PRIV, m))
const URL_QR = certificateQr('https://custody.example.org', TEXT)
const KEYS_JSON = JSON.stringify({ keys: [{ keyId: KEY_ID, publicKey: toBase64(PUB) }] })

function run(args: string[]): { code: number; out: string; err: string } {
  const p = Bun.spawnSync(['bun', 'server/cli/verify-certificate.ts', ...args], { cwd: join(import.meta.dirname, '..') })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

describe('verify-certificate (offline)', () => {
  test('a valid certificate, by URL with the saved keys file: fields printed, exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vc-'))
    writeFileSync(join(dir, 'keys.json'), KEYS_JSON)
    const r = run([URL_QR, '--keys', join(dir, 'keys.json')])
    expect(r.code).toBe(0)
    for (const s of [CERT.number, '张三', '1101**********002X', '6-31-01-03 电工', '四级/中级工', '2026-07-15', KEY_ID, '签名有效 / signature valid'])
      expect(r.out).toContain(s)
  })

  test('the bare text with --key KEYID:BASE64', () => {
    const r = run([TEXT, '--key', `${KEY_ID}:${toBase64(PUB)}`])
    expect(r.code).toBe(0)
    expect(r.out).toContain('签名有效')
  })

  test('a tampered payload is refused: bad_signature, exit 1', () => {
    const [v, k, payload, sig] = TEXT.split('.') as [string, string, string, string]
    const i = Math.floor(payload.length / 2)
    const flipped = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1)
    const r = run([[v, k, flipped, sig].join('.'), '--key', `${KEY_ID}:${toBase64(PUB)}`])
    expect(r.code).toBe(1)
    expect(r.err).toContain('certificate.bad_signature')
    expect(r.out).not.toContain('签名有效')
  })

  test('an unknown key is refused', () => {
    const out = verifyCertificateCli(TEXT, [{ keyId: '0badc0de', publicKey: OTHER_PUB }])
    expect(out.code).toBe(1)
    expect(out.lines[0]).toContain('certificate.unknown_key')
  })

  test('a URL naming another number than the signed one is refused', () => {
    const other = URL_QR.replace(`/verify/${CERT.number}#`, '/verify/S000050000001264000018#')
    const out = verifyCertificateCli(other, parseKeysJson(KEYS_JSON))
    expect(out.code).toBe(1)
    expect(out.lines[0]).toContain('certificate.number_mismatch')
  })

  test('bad key arguments are usage errors (exit 2)', () => {
    expect(() => parseKey('nothex:abc')).toThrow()
    expect(() => parseKey(`${KEY_ID}:${toBase64(new Uint8Array(16))}`)).toThrow(/32 bytes/)
    expect(run([TEXT]).code).toBe(2)
  })
})
