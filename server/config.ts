/** Environment and command line, parsed once (STYLE: config that stays boring). */
export interface Config {
  port: number
  dataDir: string
  demo: boolean
  adminPassword: string | null
  /** Origins accepted for state-changing requests (CSRF); the request's own origin is always accepted. */
  trustedOrigins: string[]
  /** Name of this log in checkpoints (C2SP origin line) and of its signing key. */
  logOrigin: string
  /** Seconds between automatic checkpoints while events arrive. */
  checkpointSeconds: number
}

export function parseConfig(env: Record<string, string | undefined>, argv: string[]): Config {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`)
  const noDemo = argv.includes('--no-demo') || env.CUSTODY_DEMO === '0' || env.CUSTODY_DEMO === 'false'
  return {
    port,
    dataDir: env.DATA_DIR ?? './data',
    demo: !noDemo,
    adminPassword: env.CUSTODY_ADMIN_PASSWORD || null,
    trustedOrigins: (env.CUSTODY_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logOrigin: env.CUSTODY_LOG_ORIGIN ?? 'custody.local/log',
    checkpointSeconds: Number(env.CUSTODY_CHECKPOINT_SECONDS ?? 2),
  }
}
