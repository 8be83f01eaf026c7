/**
 * npm run backup -- FILE [--data DIR]
 * A consistent online copy of the database (VACUUM INTO reads one snapshot; the server may keep writing).
 * `npm run verify-log -- --data FILE --key VKEY` verifies the copy.
 */
import { Database } from 'bun:sqlite'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const di = args.indexOf('--data')
const dataDir = resolve(di >= 0 ? (args[di + 1] ?? '') : (process.env.DATA_DIR ?? './data'))
const target = args.filter((_, i) => i !== di && i !== di + 1)[0]
if (!target) {
  console.error('usage: backup FILE [--data DIR]')
  process.exit(2)
}
if (existsSync(target)) {
  console.error(`backup: ${target} exists; refusing to overwrite`)
  process.exit(2)
}
const source = join(dataDir, 'custody.db')
if (!existsSync(source)) {
  console.error(`backup: no database at ${source}`)
  process.exit(2)
}
const db = new Database(source, { readonly: true })
db.run('VACUUM INTO ?', [resolve(target)])
const n = (new Database(resolve(target), { readonly: true }).query('SELECT count(*) AS n FROM log_entries').get() as { n: number }).n
console.log(`backup: wrote ${resolve(target)} (${n} log entries).`)
console.log(`backup: the database holds no keys and no paper files. Copy ${join(dataDir, 'keys')} (signing and master keys) and`)
console.log(`        ${join(dataDir, 'papers')} (encrypted papers) separately and keep the keys apart from the papers.`)
