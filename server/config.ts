import { parseCosignerVkey } from '../audit/index.ts'

/** Environment and command line, parsed once (STYLE: config that stays boring). */
export interface Config {
  port: number
  dataDir: string
  demo: boolean
  adminPassword: string | null
  /**
   * CUSTODY_PUBLIC_ORIGIN: the origin(s) people reach this server at (comma-separated, e.g.
   * https://custody.example.org); null: http://localhost:PORT and http://127.0.0.1:PORT. State-changing
   * requests must carry one of these (or a trusted origin) as Origin; the Host header is never trusted.
   */
  publicOrigins: string[] | null
  /** CUSTODY_ORIGINS: further origins accepted for state-changing requests (CSRF), e.g. behind a proxy. */
  trustedOrigins: string[]
  /** Name of this log in checkpoints (C2SP origin line) and of its signing key. */
  logOrigin: string
  /** Seconds between automatic checkpoints while events arrive. */
  checkpointSeconds: number
  /** Outside witnesses (tlog-witness) the checkpoints are sent to: CUSTODY_WITNESSES="URL VKEY,URL VKEY". */
  witnesses: Array<{ url: string; vkey: string }>
  /** Run a witness in this process (DATA_DIR/witness): on by default with the demo (docs/decisions/009-log-witness.md). */
  localWitness: boolean
  /**
   * HTTPS (server/tls.ts): certificate files (CUSTODY_TLS_CERT + CUSTODY_TLS_KEY, PEM paths), or a certificate
   * this server makes for its LAN names into DATA_DIR/tls (CUSTODY_TLS=self-signed, with CUSTODY_TLS_NAMES as
   * further names or addresses); null: plain HTTP.
   */
  tls: { kind: 'files'; certFile: string; keyFile: string } | { kind: 'self-signed'; extraNames: string[] } | null
}

/** CUSTODY_TLS, CUSTODY_TLS_CERT, CUSTODY_TLS_KEY, CUSTODY_TLS_NAMES: see Config.tls. */
export function parseTls(env: Record<string, string | undefined>): Config['tls'] {
  const { CUSTODY_TLS: mode, CUSTODY_TLS_CERT: certFile, CUSTODY_TLS_KEY: keyFile } = env
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new Error('CUSTODY_TLS_CERT and CUSTODY_TLS_KEY go together: the certificate (PEM) and its private key (PEM)')
    if (mode && mode !== 'files') throw new Error(`CUSTODY_TLS=${mode} with CUSTODY_TLS_CERT: choose one (certificate files, or CUSTODY_TLS=self-signed)`)
    return { kind: 'files', certFile, keyFile }
  }
  if (!mode || mode === '0' || mode === 'off') return null
  if (mode !== 'self-signed') throw new Error(`CUSTODY_TLS must be "self-signed" (or give CUSTODY_TLS_CERT and CUSTODY_TLS_KEY), got ${JSON.stringify(mode)}`)
  const extraNames = (env.CUSTODY_TLS_NAMES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const n of extraNames)
    if (!/^[A-Za-z0-9.:-]+$/.test(n)) throw new Error(`CUSTODY_TLS_NAMES: expected host names or IP addresses separated by commas, got ${JSON.stringify(n)}`)
  return { kind: 'self-signed', extraNames }
}

/** CUSTODY_WITNESSES: comma-separated "URL VKEY" pairs; the vkey is the witness's cosigner key (type 0x04). */
export function parseWitnesses(text: string | undefined): Array<{ url: string; vkey: string }> {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const [url, vkey, ...rest] = pair.split(/\s+/)
      if (!url || !vkey || rest.length > 0 || !/^https?:\/\//.test(url))
        throw new Error(`CUSTODY_WITNESSES: expected "URL VKEY" pairs separated by commas, got ${JSON.stringify(pair)}`)
      try {
        parseCosignerVkey(vkey)
      } catch (err) {
        throw new Error(`CUSTODY_WITNESSES: ${vkey} is not a witness key: ${(err as Error).message}`)
      }
      return { url, vkey }
    })
}

/** A comma-separated list of origins (scheme://host[:port], nothing after): each checked with new URL(). */
export function parseOrigins(name: string, text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((o) => {
      let origin: string
      try {
        origin = new URL(o).origin
      } catch {
        throw new Error(`${name}: ${JSON.stringify(o)} is not an origin such as https://custody.example.org`)
      }
      if (origin !== o.replace(/\/$/, '') || origin === 'null')
        throw new Error(`${name}: expected an origin such as https://custody.example.org (no path), got ${JSON.stringify(o)}`)
      return origin
    })
}

/** The public origins when none are configured: this machine at its port. */
export const localOrigins = (port: number, scheme: 'http' | 'https' = 'http'): string[] => [`${scheme}://localhost:${port}`, `${scheme}://127.0.0.1:${port}`]

export function parseConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const noDemo = argv.includes('--no-demo') || env.CUSTODY_DEMO === '0' || env.CUSTODY_DEMO === 'false'
  return {
    port,
    dataDir: env.DATA_DIR ?? './data',
    demo: !noDemo,
    adminPassword: env.CUSTODY_ADMIN_PASSWORD || null,
    publicOrigins: env.CUSTODY_PUBLIC_ORIGIN ? parseOrigins('CUSTODY_PUBLIC_ORIGIN', env.CUSTODY_PUBLIC_ORIGIN) : null,
    trustedOrigins: parseOrigins('CUSTODY_ORIGINS', env.CUSTODY_ORIGINS),
    logOrigin: env.CUSTODY_LOG_ORIGIN ?? 'custody.local/log',
    checkpointSeconds: Number(env.CUSTODY_CHECKPOINT_SECONDS ?? 2),
    witnesses: parseWitnesses(env.CUSTODY_WITNESSES),
    localWitness: env.CUSTODY_LOCAL_WITNESS === undefined ? !noDemo : env.CUSTODY_LOCAL_WITNESS === '1' || env.CUSTODY_LOCAL_WITNESS === 'true',
    tls: parseTls(env),
  }
}
