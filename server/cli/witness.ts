/**
 * npm run witness -- --data DIR --log-key VKEY [--log-key VKEY ...] [--port 8090] [--host 127.0.0.1] [--name NAME]
 * Runs a tlog witness (c2sp.org/tlog-witness) for the given logs: it keeps its own key (DIR/witness.key) and
 * state (DIR/state), cosigns a checkpoint only when it extends the last one it cosigned, refuses forks and keeps
 * the log's signed request as evidence (DIR/evidence). Prints its vkey: give it to the log server
 * (CUSTODY_WITNESSES="URL VKEY") and to whoever verifies (verify-log --witness VKEY).
 */
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { parseVkey } from '../../audit/index.ts'
import { FileWitnessState, createWitness, loadOrCreateWitnessKey } from '../witness/index.ts'
import { installNativeCrypto } from '../native-crypto.ts'

installNativeCrypto()

const USAGE = 'usage: npm run witness -- --data DIR --log-key VKEY [--log-key VKEY ...] [--port 8090] [--host 127.0.0.1] [--name NAME]'

function usage(msg: string): never {
  console.error(`witness: ${msg}\n${USAGE}`)
  process.exit(2)
}

const args = process.argv.slice(2)
const logKeys: string[] = []
let data: string | null = null
let port = 8090
let host = '127.0.0.1'
let name = `witness.${hostname() || 'local'}`
for (let i = 0; i < args.length; i++) {
  const a = args[i]!
  const value = (): string => args[++i] ?? usage(`${a} needs a value`)
  if (a === '--data') data = value()
  else if (a === '--log-key') logKeys.push(value())
  else if (a === '--port') port = Number(value())
  else if (a === '--host') host = value()
  else if (a === '--name') name = value()
  else if (a === '--help' || a === '-h') {
    console.log(USAGE)
    process.exit(0)
  } else usage(`unknown argument ${a}`)
}
if (!data) usage('--data DIR is required (the witness key and its state live there)')
if (logKeys.length === 0) usage('name at least one log with --log-key VKEY (GET /api/log/key on the log server)')
if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port takes a port number')
for (const k of logKeys) {
  try {
    parseVkey(k)
  } catch (err) {
    usage(`invalid --log-key ${k}: ${(err as Error).message}`)
  }
}

process.umask(0o077)
const dir = resolve(data)
const { key, created } = loadOrCreateWitnessKey(dir, name)
if (created) console.log(`[witness] generated the witness key in ${join(dir, 'witness.key')} (owner-only)`)
const witness = createWitness({ key, logKeys, state: new FileWitnessState(dir), evidenceDir: join(dir, 'evidence') })
const server = Bun.serve({ port, hostname: host, fetch: witness.app.fetch })
console.log(`[witness] vkey ${witness.vkey}`)
for (const k of logKeys) console.log(`[witness] follows ${parseVkey(k).name}`)
console.log(`[witness] listening http://${host}:${server.port} (data: ${dir})`)

const stop = () => {
  server.stop()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
