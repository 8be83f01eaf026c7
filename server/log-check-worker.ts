/**
 * The whole-log check off the main thread: opens the database read-only (WAL lets it read beside the
 * writer) and runs checkWholeLog over the entries that existed when it was started. Started by
 * checkWholeLogInBackground below; a failure turns the server to log.damaged.
 */
import { Database } from 'bun:sqlite'
import { LogStore } from './db/log-store.ts'
import { installNativeCrypto } from './native-crypto.ts'
import { type LogCheck, type LogIdentity, checkWholeLog } from './services/index.ts'

interface Job {
  path: string
  identity: LogIdentity
  upTo: number
}
type Answer = { ok: true; size: number } | { ok: false; reason: string }

/** Runs the whole-log check of `path` up to `upTo` entries in a worker thread; resolves with its verdict. */
export function checkWholeLogInBackground(job: Job): Promise<Answer> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url).href)
    worker.onmessage = (e: MessageEvent<Answer>) => {
      resolve(e.data)
      worker.terminate()
    }
    worker.onerror = (e) => {
      resolve({ ok: false, reason: `the background check could not run: ${e.message}` })
      worker.terminate()
    }
    worker.postMessage(job)
  })
}

declare const self: Worker
if (!Bun.isMainThread) {
  installNativeCrypto() // a worker has its own module state: the whole-log check hashes every entry natively
  self.onmessage = (e: MessageEvent<Job>) => {
    const { path, identity, upTo } = e.data
    let answer: Answer
    try {
      const db = new Database(path, { readonly: true })
      try {
        const r: LogCheck = checkWholeLog(new LogStore(db), identity, upTo)
        answer = r.ok ? { ok: true, size: r.size } : r
      } finally {
        db.close()
      }
    } catch (err) {
      answer = { ok: false, reason: `the background check could not read the database: ${err instanceof Error ? err.message : String(err)}` }
    }
    self.postMessage(answer)
  }
}
