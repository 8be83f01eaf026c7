/**
 * npm run verify-certificate -- 'QR_TEXT_OR_URL' --keys KEYS.json   (what GET /api/public/certificate-keys returns)
 * npm run verify-certificate -- 'QR_TEXT_OR_URL' --key KEYID:BASE64 [--key KEYID:BASE64 ...]
 * Checks an e-certificate offline (docs/certificate-format.md, R8.2): no server, no database, only the public keys.
 * Prints the signed fields and "签名有效 / signature valid" (exit 0), or the refusal with its code (exit 1);
 * usage errors exit 2.
 */
import { readFileSync } from 'node:fs'
import { type CertificateKey, fromBase64, verifyCertificateQr } from '../../crypto/index.ts'

const LEVELS = ['', '一级/高级技师', '二级/技师', '三级/高级工', '四级/中级工', '五级/初级工']

/** Reads keys as the public endpoint serves them: `{ keys: [{ keyId, publicKey: base64 }] }`. */
export function parseKeysJson(text: string): CertificateKey[] {
  const doc = JSON.parse(text) as { keys?: { keyId?: unknown; publicKey?: unknown }[] }
  if (!doc || !Array.isArray(doc.keys)) throw new Error('expected { "keys": [{ "keyId", "publicKey" }] }')
  return doc.keys.map((k) => parseKey(`${k.keyId}:${k.publicKey}`))
}

/** `KEYID:BASE64` (the endpoint's keyId and publicKey joined by a colon). */
export function parseKey(s: string): CertificateKey {
  const m = /^([0-9a-f]{8}):(\S+)$/.exec(s)
  if (!m) throw new Error(`expected KEYID:BASE64 (8 lowercase hex, a colon, base64), got ${JSON.stringify(s)}`)
  const publicKey = fromBase64(m[2]!)
  if (publicKey.length !== 32) throw new Error(`key ${m[1]}: an Ed25519 public key is 32 bytes, got ${publicKey.length}`)
  return { keyId: m[1]!, publicKey }
}

/** Verifies and returns the lines to print and the exit code. */
export function verifyCertificateCli(qr: string, keys: readonly CertificateKey[]): { code: 0 | 1; lines: string[] } {
  const r = verifyCertificateQr(qr.trim(), keys)
  if (!r.ok)
    return {
      code: 1,
      lines: [`签名无效 / signature NOT valid: ${r.error.code}${r.error.keyId ? ` (key ${r.error.keyId})` : ''}`, r.error.reason],
    }
  const p = r.payload
  return {
    code: 0,
    lines: [
      `证书编号 / number:       ${p.number}`,
      `姓名 / name:             ${p.holderName}`,
      `身份证号 / ID (masked):  ${p.maskedId}`,
      `职业 / occupation:       ${p.occupationCode} ${p.occupationName}`,
      `等级 / level:            ${p.level} ${LEVELS[p.level]}`,
      `发证日期 / issued on:    ${p.issuedOn}`,
      `评价机构 / body:         ${p.body}`,
      `批次 / batch:            ${p.batchRef}`,
      ...(p.replaces ? [`替换 / replaces:         ${p.replaces}`] : []),
      `签名密钥 / key id:       ${r.keyId}`,
      '签名有效 / signature valid',
    ],
  }
}

function usage(msg: string): never {
  console.error(`verify-certificate: ${msg}\nusage: verify-certificate 'QR_TEXT_OR_URL' (--keys KEYS.json | --key KEYID:BASE64 ...)`)
  process.exit(2)
}

if (import.meta.main) {
  const args = process.argv.slice(2)
  const keys: CertificateKey[] = []
  let qr: string | null = null
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!
      if (a === '--keys') keys.push(...parseKeysJson(readFileSync(args[++i] ?? usage('--keys needs a file'), 'utf8')))
      else if (a === '--key') keys.push(parseKey(args[++i] ?? usage('--key needs KEYID:BASE64')))
      else if (a.startsWith('--')) usage(`unknown option ${a}`)
      else if (qr !== null) usage('one certificate at a time')
      else qr = a
    }
  } catch (err) {
    usage((err as Error).message)
  }
  if (qr === null) usage('give the QR text or its https://…/verify/<number>#CC1.… address')
  if (keys.length === 0) usage('give the public keys: --keys KEYS.json or --key KEYID:BASE64')
  const out = verifyCertificateCli(qr, keys)
  for (const l of out.lines) (out.code === 0 ? console.log : console.error)(l)
  process.exit(out.code)
}
