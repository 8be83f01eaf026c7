/** The only file that opens the data folder and listens. `npm start` runs it. */
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createApp } from './app.ts'
import { parseConfig } from './config.ts'
import { DEMO_PASSWORD, loadDemo } from './demo.ts'
import { loadMasterKeys, loadOrCreateKey, loadOrCreateLogKey, masterKeyFiles, saveLogKey } from './keystore.ts'
import { FsPaperBlobStore } from './paper-blobs.ts'

// Everything this process creates in the data folder (database, WAL, keys, backups) is owner-only.
process.umask(0o077)
const config = parseConfig(process.env, process.argv.slice(2))
const dataDir = resolve(config.dataDir)
mkdirSync(dataDir, { recursive: true, mode: 0o700 })
const { key, created } = loadOrCreateLogKey(dataDir, config.logOrigin)
const ticket = loadOrCreateKey(dataDir, 'ticket-signing.key', 'custody-tickets')
if (created || ticket.created) console.log(`[custody] generated signing keys in ${join(dataDir, 'keys')} (owner-only)`)
const master = loadMasterKeys(dataDir, Date.now())
if (master.created) console.log(`[custody] generated the paper master key in ${join(dataDir, 'keys')} (owner-only)`)

const custody = createApp({
  db: join(dataDir, 'custody.db'),
  logKey: key,
  ticketKey: ticket.key,
  trustedOrigins: config.trustedOrigins,
  saveLogKey: (k) => saveLogKey(dataDir, k),
  paperBlobs: new FsPaperBlobStore(join(dataDir, 'papers')),
  masterKeys: master.keys,
  masterKeyKeeper: masterKeyFiles(dataDir, Date.now),
})
const { services } = custody

if (services.log.damaged) {
  console.error('\n' + '!'.repeat(78))
  console.error('[custody] THE CUSTODY LOG DOES NOT MATCH ITS LAST SIGNED CHECKPOINT. WRITES ARE REFUSED.')
  console.error(`[custody] reason: ${services.log.damaged}`)
  console.error('[custody] Do not sign over the damage: keep a copy of the data folder and investigate.')
  console.error('!'.repeat(78) + '\n')
} else if (services.accounts.list().length === 0) {
  if (config.demo) {
    const logins = await loadDemo(services)
    console.log('[custody] loaded the DEMO (演示数据) — not for real use. Demo logins (password for all: ' + DEMO_PASSWORD + '):')
    for (const l of logins) console.log(`           ${l.username.padEnd(14)} ${l.roles.join(', ')}`)
  } else {
    const password = config.adminPassword ?? randomBytes(12).toString('base64url')
    await services.accounts.bootstrapAdmin(password, { system: 'bootstrap' })
    console.log(`[custody] created the administrator "admin"${config.adminPassword ? ' with the password from CUSTODY_ADMIN_PASSWORD' : ` with the one-time password: ${password}`}`)
    if (!config.adminPassword) console.log('[custody] this password is shown only now; change it after logging in.')
  }
}

// Checkpoints every few seconds while events arrive (and on demand at GET /api/log/checkpoint).
const timer = setInterval(() => {
  if (services.log.damaged) return
  const last = services.log.store.latestCheckpoint()
  if (services.log.size() !== (last?.size ?? -1)) services.log.signCheckpoint()
}, config.checkpointSeconds * 1000)

const server = Bun.serve({ port: config.port, fetch: custody.app.fetch, maxRequestBodySize: 3 * 1024 ** 3 })
console.log(`[custody] serving http://localhost:${server.port}  (data: ${dataDir})`)

const stop = () => {
  clearInterval(timer)
  server.stop()
  if (!services.log.damaged) services.log.signCheckpoint()
  custody.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
