/** The only file that opens the data folder and listens. `npm start` runs it. */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { createApp } from './app.ts'
import { installNativeCrypto } from './native-crypto.ts'
import { localOrigins, parseConfig } from './config.ts'
import { DEMO_PASSWORD, DEMO_SHARE_PASSPHRASES, loadDemo } from './demo.ts'
import { createDemoClock } from './demo/clock.ts'
import { finishedBatchStart } from './demo/finished-batch.ts'
import type { FinishedResults } from './demo/finished-results.ts'
import {
  loadCertificateKeys,
  loadMasterKeys,
  loadOrCreateKey,
  loadOrCreateLogKey,
  loadTicketKeys,
  masterKeyFiles,
  saveCertificateKey,
  saveLogKey,
  saveTicketKey,
} from './keystore.ts'
import { FsPaperBlobStore } from './paper-blobs.ts'
import { FileWitnessState, createWitness, loadOrCreateWitnessKey } from './witness/index.ts'
import { MarkFile } from './log-mark.ts'
import { checkWholeLogInBackground } from './log-check-worker.ts'
import { prebuildPages } from './http/pages.ts'
import { type TlsCertificate, httpsOrigins, lanNames, loadCertificateFiles, loadOrCreateLanCertificate } from './tls.ts'

installNativeCrypto() // before any key is made or read (createApp installs it as well)
// Everything this process creates in the data folder (database, WAL, keys, backups) is owner-only.
process.umask(0o077)
const config = parseConfig(process.env, process.argv.slice(2))
const dataDir = resolve(config.dataDir)
mkdirSync(dataDir, { recursive: true, mode: 0o700 })
const { key, created } = loadOrCreateLogKey(dataDir, config.logOrigin)
const ticket = loadOrCreateKey(dataDir, 'ticket-signing.key', 'custody-tickets')
if (created || ticket.created) console.log(`[custody] generated signing keys in ${join(dataDir, 'keys')} (owner-only)`)
// Plain paper master keys only in a data folder made before the split key; a key ceremony converts and deletes them (008).
const master = loadMasterKeys(dataDir)
if (master.keys.length > 0)
  console.log(
    `[custody] ${master.keys.length} plain paper master key(s) in ${join(dataDir, 'keys')}: run a key ceremony (/admin/keys) to split the key among custodians`,
  )

// The start-up check begins where this server last verified its log; the whole log is checked in the background.
const marks = new MarkFile(dataDir, config.logOrigin)
const logMark = marks.load()
const started = performance.now()
let publicOrigins: readonly string[] = config.publicOrigins ?? localOrigins(config.port)
// A new data folder with the demo: the clock is held at the demo's earlier month while loadDemo records that history,
// then released to real time for good (server/demo/clock.ts), so the log's times are the acts' and only increase.
const demoClock = config.demo && !existsSync(join(dataDir, 'custody.db')) ? createDemoClock(finishedBatchStart(Date.now())) : null
const custody = createApp({
  db: join(dataDir, 'custody.db'),
  ...(demoClock ? { clock: demoClock } : {}),
  logMark,
  logMarks: marks,
  logKey: key,
  ticketKey: ticket.key,
  ticketKeys: loadTicketKeys(dataDir),
  saveTicketKey: (id, k) => saveTicketKey(dataDir, id, k),
  certificateKeys: loadCertificateKeys(dataDir),
  saveCertificateKey: (id, k) => saveCertificateKey(dataDir, id, k),
  trustedOrigins: config.trustedOrigins,
  // CSRF (decision 007): without CUSTODY_PUBLIC_ORIGIN, this machine at the port it listens on (known once it does).
  publicOrigins: () => publicOrigins,
  verifyOrigin: config.publicOrigins?.[0] ?? null,
  saveLogKey: (k) => saveLogKey(dataDir, k),
  paperBlobs: new FsPaperBlobStore(join(dataDir, 'papers')),
  masterKeys: master.keys,
  masterKeyKeeper: masterKeyFiles(dataDir, Date.now),
  witnesses: config.witnesses,
})
const { services } = custody
console.log(
  `[custody] opened the log (${services.log.size()} entries) in ${Math.round(performance.now() - started)} ms, checked ${logMark ? `from entry ${logMark.size}, the last this server verified; the whole log is checked in the background` : 'in full'}`,
)
if (logMark && !services.log.damaged) {
  const upTo = services.log.size()
  void checkWholeLogInBackground({ path: join(dataDir, 'custody.db'), identity: services.log.identity(), upTo }).then((r) => {
    if (r.ok) console.log(`[custody] background check: all ${r.size} entries, their Merkle nodes and checkpoint verify`)
    else {
      services.log.reportDamage(r.reason)
      console.error(`[custody] BACKGROUND CHECK FAILED — writes are refused (log.damaged): ${r.reason}`)
    }
  })
}

if (services.log.damaged) {
  console.error('\n' + '!'.repeat(78))
  console.error('[custody] THE CUSTODY LOG DOES NOT MATCH ITS LAST SIGNED CHECKPOINT. WRITES ARE REFUSED.')
  console.error(`[custody] reason: ${services.log.damaged}`)
  console.error('[custody] Do not sign over the damage: keep a copy of the data folder and investigate.')
  console.error('!'.repeat(78) + '\n')
} else if (services.accounts.list().length === 0) {
  if (config.demo) {
    let finished: FinishedResults | null = null
    const logins = await loadDemo(services, demoClock ?? undefined, (r) => {
      finished = r
    })
    console.log('[custody] loaded the DEMO (演示数据) — not for real use. Demo logins (password for all: ' + DEMO_PASSWORD + '):')
    for (const l of logins) {
      const passphrase = DEMO_SHARE_PASSPHRASES[l.username]
      console.log(`           ${l.username.padEnd(14)} ${l.roles.join(', ')}${passphrase ? `   key-share passphrase (密钥份额口令): ${passphrase}` : ''}`)
    }
    const drill = services.doorDrill.sessionId()
    const drillSession = drill ? services.rooms.session(drill) : null
    if (drillSession) {
      const at = new Date(drillSession.startsAt + 8 * 3600_000).toISOString().slice(11, 16)
      console.log(`[custody] door drill (考场门口核验演练): a session today at ${at} China time, doors open now, invigilator at room 201.`)
      console.log('[custody]   enrol a tablet on /admin/kiosks (admin), open /kiosk; drill tickets: /api/kiosk/drill/print')
    }
    const f = finished as FinishedResults | null
    if (f) {
      console.log(`[custody] a finished batch (成绩已公布 ${f.publishedOn}, 证书已发): open /verify/${f.validNumber} (a valid certificate)`)
      console.log(`[custody]   /verify/${f.revokedNumber} is revoked (lost, reissued as /verify/${f.replacementNumber})`)
      console.log(`[custody]   /results: try ticket ${f.lookup.ticketNumber} with ID ${f.lookup.residentId}; /statistics for ${f.publishedOn.slice(0, 4)}`)
    }
  } else {
    const password = config.adminPassword ?? randomBytes(12).toString('base64url')
    await services.accounts.bootstrapAdmin(password, { system: 'bootstrap' })
    console.log(
      `[custody] created the administrator "admin"${config.adminPassword ? ' with the password from CUSTODY_ADMIN_PASSWORD' : ` with the one-time password: ${password}`}`,
    )
    if (!config.adminPassword) console.log('[custody] this password is shown only now and works once: at first login you choose your own.')
    // The second person for role changes (decision 005): hand this password to the supervisor, not to the administrator.
    const supervisorPassword = randomBytes(12).toString('base64url')
    await services.accounts.bootstrapSupervisor(supervisorPassword, { system: 'bootstrap' })
    console.log(`[custody] created the supervisor "supervisor" (the second person who confirms role changes) with the one-time password: ${supervisorPassword}`)
  }
}

// Checkpoints every few seconds while events arrive (and on demand at GET /api/log/checkpoint).
const timer = setInterval(() => {
  services.keyCeremonies.sweep() // key shares unlocked for a print job are wiped when its window closes (008)
  if (services.log.damaged) return
  services.refusals.flush() // a refusal flood's summary is written once its minute is over (decision 007)
  const last = services.log.store.latestCheckpoint()
  if (services.log.size() !== (last?.size ?? -1)) services.log.signCheckpoint()
}, config.checkpointSeconds * 1000)

// The demo's outside witness runs in this process with its own key and state in DATA_DIR/witness: it shows
// cosigned checkpoints; a real deployment names independent ones in CUSTODY_WITNESSES (docs/decisions/009-log-witness.md).
if (config.localWitness) {
  const witnessDir = join(dataDir, 'witness')
  const { key: witnessKey } = loadOrCreateWitnessKey(witnessDir, 'witness.custody.local/demo')
  const witness = createWitness({
    key: witnessKey,
    logKeys: () => services.log.vkeys(),
    state: new FileWitnessState(witnessDir),
    evidenceDir: join(witnessDir, 'evidence'),
    say: (line) => console.error(`[custody] local witness: ${line}`),
  })
  services.witnesses.add({ url: 'in-process:witness', vkey: witness.vkey, fetch: (req) => witness.app.fetch(req) })
  console.log(`[custody] local witness (in-process, ${witnessDir}) cosigns checkpoints; its key: ${witness.vkey}`)
}
for (const w of config.witnesses) console.log(`[custody] sends checkpoints to the witness ${w.url} (${w.vkey.split('+').slice(0, 2).join('+')})`)
if (!services.log.damaged) services.witnesses.push()

void prebuildPages() // the browser bundles, so the first page does not wait for them

// HTTPS (server/tls.ts, README "HTTPS for the kiosk"): given certificate files, or one made for this machine's LAN names.
let tls: TlsCertificate | null = null
if (config.tls?.kind === 'files') tls = loadCertificateFiles(config.tls.certFile, config.tls.keyFile)
else if (config.tls?.kind === 'self-signed') {
  tls = await loadOrCreateLanCertificate(join(dataDir, 'tls'), lanNames(config.tls.extraNames))
  if (tls.made.includes('ca')) console.log(`[custody] made a certificate authority for this server's HTTPS: ${tls.ca!.file}`)
  console.log(`[custody] tablets trust this server by installing ${tls.ca!.file} (SHA-256 fingerprint ${tls.ca!.fingerprint})`)
}
if (tls) console.log(`[custody] HTTPS certificate for ${tls.names.join(', ')}; SHA-256 fingerprint ${tls.fingerprint}`)

const server = Bun.serve({
  port: config.port,
  fetch: custody.app.fetch,
  maxRequestBodySize: 3 * 1024 ** 3,
  ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
})
const port = server.port ?? config.port
publicOrigins = config.publicOrigins ?? (tls ? [...new Set([...localOrigins(port, 'https'), ...httpsOrigins(tls.names, port)])] : localOrigins(port))
console.log(`[custody] serving ${tls ? 'https' : 'http'}://localhost:${server.port}  (data: ${dataDir})`)

const stop = () => {
  clearInterval(timer)
  server.stop()
  services.refusals.flushAll()
  if (!services.log.damaged) services.log.signCheckpoint()
  custody.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
