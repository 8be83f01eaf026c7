/**
 * npm run verify-log -- EXPORT_FILE [--key VKEY ...] [--witness VKEY ...]
 * npm run verify-log -- --data DIR_OR_DB_FILE [--key VKEY ...] [--witness VKEY ...]
 * npm run verify-log -- --proof REPORT.json --key VKEY [--key VKEY ...]   (a custody report)
 * Recomputes the hash chain and the Merkle root, checks the checkpoint's signature; exits 0 with a one-line
 * summary, 1 naming the first wrong entry, 2 on usage errors. With --witness, the checkpoint must also carry a valid
 * cosignature of that outside witness (docs/decisions/009-log-witness.md).
 */
import { Database } from 'bun:sqlite'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { formatExportLine, formatExportTrailer, formatVkey, leafHash, parseCosignerVkey, verifyExport, withSignatureLines } from '../../audit/index.ts'
import { ed25519, equalBytes, fromHex } from '../../crypto/index.ts'
import { LogStore } from '../db/log-store.ts'
import { CosignatureStore } from '../db/cosignature-store.ts'
import { main as verifyExportFile, report } from '../../audit/cli.ts'
import { verifyCustodyReport } from '../services/custody-reports.ts'
import { installNativeCrypto } from '../native-crypto.ts'

installNativeCrypto()

function usage(msg: string): never {
  console.error(
    `verify-log: ${msg}\nusage: verify-log EXPORT_FILE [--key VKEY ...] [--witness VKEY ...] | verify-log --data DIR_OR_DB [--key VKEY ...] [--witness VKEY ...] | verify-log --proof REPORT.json --key VKEY`,
  )
  process.exit(2)
}

const args = process.argv.slice(2)
const keys: string[] = []
const witnesses: string[] = []
let data: string | null = null
let file: string | null = null
let proof: string | null = null
for (let i = 0; i < args.length; i++) {
  const a = args[i]!
  if (a === '--key') keys.push(args[++i] ?? usage('--key needs a value'))
  else if (a === '--witness') witnesses.push(args[++i] ?? usage('--witness needs the witness VKEY'))
  else if (a === '--data') data = args[++i] ?? usage('--data needs a folder')
  else if (a === '--proof') proof = args[++i] ?? usage('--proof needs a report file')
  else if (a.startsWith('--')) usage(`unknown option ${a}`)
  else if (file) usage('one export file at a time')
  else file = a
}

if (proof) process.exit(verifyReportFile(proof, keys))
for (const w of witnesses) {
  try {
    parseCosignerVkey(w)
  } catch (err) {
    usage(`invalid --witness ${w}: ${(err as Error).message}`)
  }
}
if (data) process.exit(verifyDataFolder(data, keys, witnesses))
if (!file) usage('name an export file or --data DIR')
process.exit(await verifyExportFile([file, ...keys.flatMap((k) => ['--key', k]), ...witnesses.flatMap((w) => ['--witness', w])]))

/** Verifies the log straight from a data folder (or a backup database file). */
function verifyDataFolder(path: string, trusted: string[], witnessKeys: string[]): number {
  const dbFile = existsSync(path) && statSync(path).isDirectory() ? join(path, 'custody.db') : path
  if (!existsSync(dbFile)) usage(`no database at ${dbFile}`)
  let pinned = trusted
  const keyFile = join(path, 'keys', 'log-signing.key')
  if (pinned.length === 0 && existsSync(keyFile)) {
    const k = JSON.parse(readFileSync(keyFile, 'utf8')) as { name: string; seed: string }
    pinned = [formatVkey(k.name, ed25519.publicKey(fromHex(k.seed)))]
  }
  const db = new Database(dbFile, { readonly: true })
  const store = new LogStore(db)
  // A backup made before witnesses existed has no cosignature table: nothing is cosigned there.
  const hasCosignatures = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_cosignatures'").get() !== null
  const cosignatures = hasCosignatures ? new CosignatureStore(db) : { latestBy: () => null, forSize: () => [] }
  // With --witness: the newest checkpoint every named witness cosigned (the newest ones may still be on their way).
  const cosignedSize = witnessKeys.length === 0 ? null : Math.min(...witnessKeys.map((w) => cosignatures.latestBy(parseCosignerVkey(w).text)?.size ?? -1))
  const cpNote = cosignedSize === null || cosignedSize < 0 ? null : store.checkpointNote(cosignedSize)
  const cp = cpNote !== null ? { size: cosignedSize!, note: cpNote } : store.latestCheckpoint()
  if (!cp) {
    console.log(store.tail().size === 0 ? 'ok: empty log' : 'FAIL: the log has entries but no signed checkpoint')
    return store.tail().size === 0 ? 0 : 1
  }
  const trustedKeys = pinned.length > 0 ? pinned : store.keys().map((k) => k.vkey)
  let changed: number | null = null
  const lines = (function* () {
    for (const row of store.iterate(0, cp.size)) {
      // The stored leaf hash was computed when the entry was appended: a mismatch names the changed entry itself.
      if (changed === null && !equalBytes(leafHash(row.bytes), row.leaf)) changed = row.idx
      yield formatExportLine(row.idx, row.bytes)
    }
    yield formatExportTrailer(
      withSignatureLines(
        cp.note,
        cosignatures.forSize(cp.size).map((c) => c.line),
      ),
      store.keys().map((k) => k.vkey),
    )
  })()
  const r = verifyExport(lines, { trustedKeys, witnessKeys })
  const unsigned = store.tail().size - cp.size
  if (changed !== null && (!r.ok ? (r.index ?? Infinity) >= changed : true)) {
    console.log(`FAIL at entry ${changed}: entry.changed: its bytes no longer match the leaf hash stored when it was appended`)
    return 1
  }
  if (!r.ok) {
    console.log(report(r))
    return 1
  }
  console.log(
    `${r.summary}${unsigned > 0 ? ` (+${unsigned} newer entries not yet in a ${witnessKeys.length > 0 ? 'cosigned ' : ''}checkpoint)` : ''}${pinned.length === 0 ? ' [key not pinned: taken from the database]' : ''}`,
  )
  return 0
}

/**
 * Verifies a custody report (GET /api/reports/papers|packets/{id}): the checkpoint's signature by a pinned
 * key, and every event's bytes, leaf hash and inclusion proof against that checkpoint.
 */
function verifyReportFile(path: string, trusted: string[]): number {
  if (trusted.length === 0) usage('--proof needs the log key: --key VKEY (GET /api/log/key)')
  if (!existsSync(path)) usage(`no report at ${path}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''))
  } catch (e) {
    console.log(`FAIL: ${path} is not JSON (${e instanceof Error ? e.message : String(e)})`)
    return 1
  }
  const r = verifyCustodyReport(parsed, trusted)
  if (!r.ok) {
    console.log(`FAIL: ${r.reason}`)
    return 1
  }
  console.log(`ok: ${r.events} events included in checkpoint ${r.origin} size ${r.size}, signed by ${r.keyName}`)
  return 0
}
