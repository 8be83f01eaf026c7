/**
 * HTTPS on a site's LAN (README "HTTPS for the kiosk"). The kiosk needs a secure context (service worker,
 * WebCrypto, the camera), so a server that tablets reach by LAN address serves HTTPS either with certificate
 * files it is given (CUSTODY_TLS_CERT, CUSTODY_TLS_KEY) or with a certificate it makes itself
 * (CUSTODY_TLS=self-signed): a small certificate authority of this server's own (DATA_DIR/tls/custody-ca.crt,
 * the one file a tablet installs and trusts, 10 years) signs a server certificate for this machine's LAN
 * addresses and names (397 days, the most Apple accepts), which is made again whenever the addresses change
 * or it nears its end, so the tablets keep trusting it. Keys are ECDSA P-256, made with WebCrypto; the
 * certificates are built with @peculiar/x509.
 */
import { X509Certificate, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'
import { join } from 'node:path'

export interface TlsCertificate {
  /** PEM: the server certificate, then the CA's when there is one (Bun.serve's `tls.cert`). */
  cert: string
  /** PEM (PKCS #8) private key of the server certificate. */
  key: string
  /** The names and addresses the server certificate is valid for. */
  names: string[]
  /** SHA-256 fingerprint of the server certificate, `AB:CD:…`. */
  fingerprint: string
  /** The CA a tablet trusts (self-signed mode): its file and fingerprint. */
  ca?: { file: string; fingerprint: string }
  /** What was made on this start. */
  made: Array<'ca' | 'server'>
}

const DAY = 86_400_000
const CA_DAYS = 3650
const SERVER_DAYS = 397
const RENEW_DAYS = 30
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** The names other machines on the LAN may reach this one by: its addresses (IPv4, global IPv6), hostname, hostname.local, and localhost. */
export function lanNames(extra: readonly string[] = []): string[] {
  const names = new Set<string>(['localhost', '127.0.0.1', '::1'])
  const host = hostname().toLowerCase()
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host)) {
    names.add(host)
    if (!host.includes('.')) names.add(`${host}.local`) // mDNS, as tablets resolve it
  }
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (!a.internal && !(a.family === 'IPv6' && /^fe80:/i.test(a.address))) names.add(a.address)
  for (const n of extra) names.add(n)
  return [...new Set([...names].map(canonicalName))]
}

/** One spelling per name: lower case, IPv6 compressed (`0:0:0:0:0:0:0:1` → `::1`), as a URL writes it. */
export function canonicalName(name: string): string {
  return isIP(name) === 6 ? new URL(`http://[${name}]`).hostname.slice(1, -1) : name.toLowerCase()
}

/** Reads certificate files given by the operator: the certificate (chain) and its key, both PEM. */
export function loadCertificateFiles(certFile: string, keyFile: string): TlsCertificate {
  const cert = readFileSync(certFile, 'utf8')
  const key = readFileSync(keyFile, 'utf8')
  const x = new X509Certificate(cert)
  return { cert, key, names: certificateNames(x), fingerprint: x.fingerprint256, made: [] }
}

/** The DNS names and IP addresses in a certificate's subjectAltName. */
export function certificateNames(x: X509Certificate): string[] {
  return (x.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => /^(?:DNS|IP Address):(.+)$/.exec(s.trim())?.[1])
    .filter((s): s is string => !!s)
    .map(canonicalName)
}

/** The origins a browser shows for this server over HTTPS at this port: one per name (wildcards left out). */
export function httpsOrigins(names: readonly string[], port: number): string[] {
  const origins = new Set<string>()
  for (const n of names) {
    if (n.includes('*')) continue
    const host = isIP(n) === 6 ? `[${n}]` : n
    try {
      origins.add(new URL(`https://${host}:${port}`).origin)
    } catch {
      // not a name a URL can hold: not an origin anyone reaches
    }
  }
  return [...origins]
}

/**
 * The self-signed LAN certificate in `dir` (DATA_DIR/tls): the CA is made once and kept; the server
 * certificate is made again when it is missing, not signed by that CA, does not cover every one of `names`,
 * or ends within 30 days.
 */
export async function loadOrCreateLanCertificate(dir: string, names: readonly string[], now: Date = new Date()): Promise<TlsCertificate> {
  await import('reflect-metadata') // @peculiar/x509 needs the Reflect metadata API (its README)
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(crypto)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = (name: string) => join(dir, name)
  const made: TlsCertificate['made'] = []

  let caPem: string
  let caKey: CryptoKey
  if (existsSync(file('custody-ca.crt')) && existsSync(file('custody-ca.key'))) {
    caPem = readFileSync(file('custody-ca.crt'), 'utf8')
    caKey = await importKey(readFileSync(file('custody-ca.key'), 'utf8'))
  } else {
    const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: [{ CN: [`Custody LAN CA (${hostname()})`] }, { O: ['Custody'] }],
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + CA_DAYS * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    })
    caPem = ca.toString('pem')
    caKey = keys.privateKey
    writeFileSync(file('custody-ca.key'), await exportKey(keys.privateKey), { mode: 0o600 })
    writeFileSync(file('custody-ca.crt'), `${caPem}\n`, { mode: 0o644 })
    made.push('ca')
  }
  const caX = new X509Certificate(caPem)

  const current = existsSync(file('server.crt')) && existsSync(file('server.key')) ? new X509Certificate(readFileSync(file('server.crt'))) : null
  const fits =
    current !== null &&
    made.length === 0 &&
    current.verify(caX.publicKey) &&
    new Date(current.validTo).getTime() - now.getTime() > RENEW_DAYS * DAY &&
    names.every((n) => certificateNames(current).includes(canonicalName(n)))
  if (!fits) {
    const keys = await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])
    const ca = new x509.X509Certificate(caPem)
    const server = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: [{ CN: [names.find((n) => isIP(n) === 0 && n !== 'localhost') ?? names[0] ?? 'localhost'] }, { O: ['Custody'] }],
      issuer: ca.subject,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + SERVER_DAYS * DAY),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n }))),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(ca),
      ],
    })
    writeFileSync(file('server.key'), await exportKey(keys.privateKey), { mode: 0o600 })
    writeFileSync(file('server.crt'), `${server.toString('pem')}\n`, { mode: 0o644 })
    made.push('server')
  }
  const serverPem = readFileSync(file('server.crt'), 'utf8')
  const serverX = new X509Certificate(serverPem)
  return {
    cert: `${serverPem.trim()}\n${caPem.trim()}\n`,
    key: readFileSync(file('server.key'), 'utf8'),
    names: certificateNames(serverX),
    fingerprint: serverX.fingerprint256,
    ca: { file: file('custody-ca.crt'), fingerprint: caX.fingerprint256 },
    made,
  }
}

/** A positive serial number of 16 random bytes, hex. */
const serial = (): string => {
  const b = randomBytes(16)
  b[0] = b[0]! & 0x7f
  return b.toString('hex')
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key)).toString('base64')
  return `-----BEGIN PRIVATE KEY-----\n${der.replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`
}

function importKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, ''), 'base64')
  return crypto.subtle.importKey('pkcs8', der, EC, false, ['sign'])
}
