// The records queue and its sync (docs/decisions/011-door-kiosk.md, "Records and sync"). A record gets its
// UUID when it is made, is signed, and is in IndexedDB (transaction complete) before the screen says "recorded".
// The loop sends queued records in batches while online, marks each by the server's own answer, and retries a
// failed send with backoff. A refused record stays (status refused, with the server's code and message) and is
// shown on the status bar: nothing is dropped silently.
import { jsonValue, signRecord } from './_kiosk-device.ts'
import type { AdmissionRow, KioskStore } from './_kiosk-store.ts'
import type { KioskRecord, RecordKind, SyncResult } from './_kiosk-types.ts'

export const BATCH = 50
const BASE_DELAY_MS = 2_000
const MAX_DELAY_MS = 5 * 60_000

/** The wait before try number `tries + 1` of a failed send: 2 s, 4 s, 8 s … up to 5 minutes. */
export const backoff = (tries: number): number => Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(tries, 20))

/** A batch stays well under the server's sync body limit (incident photos are up to 300 KB each). */
export const BATCH_BYTES = 8 * 1024 * 1024

/** The longest prefix of `rows` within BATCH_BYTES of JSON (at least one record). */
function byteCapped<R extends { record: unknown }>(rows: R[]): R[] {
  let size = 0
  for (let i = 0; i < rows.length; i++) {
    size += JSON.stringify(rows[i]!.record).length
    if (size > BATCH_BYTES && i > 0) return rows.slice(0, i)
  }
  return rows
}

export interface RecordMaker {
  deviceId: string
  privateKey: CryptoKey
  sessionId: string
  roomId: string
  userId: string
  online: () => boolean
  now: () => number
}

/**
 * Makes, signs and queues one record; resolves once it is safely stored. An admission record writes the
 * admission row in the same transaction (the door then knows it at once, also offline).
 */
export async function makeRecord<B extends Record<string, unknown>>(
  store: KioskStore,
  m: RecordMaker,
  kind: RecordKind,
  body: B,
  admission?: Omit<AdmissionRow, 'key' | 'recordId' | 'sessionId' | 'roomId' | 'at'>,
): Promise<KioskRecord<B>> {
  const madeAt = m.now()
  const unsigned = jsonValue({
    id: crypto.randomUUID(),
    kind,
    deviceId: m.deviceId,
    sessionId: m.sessionId,
    roomId: m.roomId,
    userId: m.userId,
    madeAt,
    online: m.online(),
    body,
  })
  const record = await signRecord<B>(m.privateKey, unsigned)
  await store.addRecord(record as KioskRecord, admission ? { ...admission, sessionId: m.sessionId, roomId: m.roomId, at: madeAt } : undefined)
  return record
}

export interface SyncState {
  queued: number
  refused: number
  lastSyncAt: number | null
  /** The last whole-batch failure (server unreachable, login expired, device revoked), or null. */
  problem: { code: string; message: string; messageEn: string } | null
}

/**
 * The loop: `kick()` after each new record and when the connection comes back; `start()` also runs it every few
 * seconds. `send` is the device-signed POST /api/kiosk/sync.
 */
export class SyncLoop {
  private running = false
  private again = false
  private timer: ReturnType<typeof setInterval> | null = null
  private problem: SyncState['problem'] = null

  constructor(
    private readonly store: KioskStore,
    private readonly send: (records: KioskRecord[]) => Promise<SyncResult[]>,
    private readonly online: () => boolean,
    private readonly now: () => number,
    private readonly onState: (s: SyncState) => void = () => {},
  ) {}

  start(everyMs = 5_000): void {
    this.timer ??= setInterval(() => void this.kick(), everyMs)
    void this.kick()
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  async state(): Promise<SyncState> {
    return {
      queued: await this.store.countQueued(),
      refused: (await this.store.refused()).length,
      lastSyncAt: (await this.store.getMeta<number>('lastSyncAt')) ?? null,
      problem: this.problem,
    }
  }

  /** Sends what is due now (batch after batch); a second kick while running runs once more after. */
  async kick(): Promise<void> {
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    try {
      do {
        this.again = false
        await this.drain()
      } while (this.again)
    } finally {
      this.running = false
      this.onState(await this.state())
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.online()) return
      const due = byteCapped(await this.store.due(this.now(), BATCH))
      if (due.length === 0) return
      let results: SyncResult[]
      try {
        results = await this.send(due.map((r) => r.record))
      } catch (err) {
        const e = err as { code?: string; message?: string; messageEn?: string }
        this.problem = { code: e.code ?? 'network.unreachable', message: e.message ?? String(err), messageEn: e.messageEn ?? e.message ?? String(err) }
        await this.store.markRetry(
          due.map((r) => r.id),
          this.now(),
          backoff(Math.max(...due.map((r) => r.tries))),
        )
        return
      }
      this.problem = null
      const answered = new Set(results.map((r) => r.id))
      await this.store.markResults(results, this.now())
      await this.store.setMeta('lastSyncAt', this.now())
      // A record the server did not answer for stays queued, tried again later.
      const missing = due.filter((r) => !answered.has(r.id)).map((r) => r.id)
      if (missing.length > 0) {
        await this.store.markRetry(missing, this.now(), backoff(0))
        return
      }
      this.onState(await this.state())
    }
  }
}
