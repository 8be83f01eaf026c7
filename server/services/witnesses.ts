// The log's side of c2sp.org/tlog-witness: every signed checkpoint is sent to the configured witnesses
// (in the background, retried with backoff; a 409 answer names the size the witness knows and the request
// is resent with a proof from it); their cosignatures are kept only after they verify against the
// configured witness key, and checkpoints are served with them (docs/decisions/009-log-witness.md).
import {
  type CosignerKey,
  TLOG_SIZE_CONTENT_TYPE,
  formatAddCheckpoint,
  keyIdHex,
  parseCosignatureLine,
  parseCosignatureResponse,
  parseCosignerVkey,
  parseSizeResponse,
  verifyCosignature,
  withSignatureLines,
} from '../../audit/index.ts'
import type { CosignatureStore } from '../db/cosignature-store.ts'
import type { CustodyLog } from './custody-log.ts'

/** One witness the log sends its checkpoints to: its submission URL prefix and its cosigner vkey. */
export interface WitnessConfig {
  url: string
  vkey: string
  /** How to reach it; `fetch` by default (the demo's in-process witness passes its app's fetch). */
  fetch?: (req: Request) => Response | Promise<Response>
}

export interface WitnessStatus {
  name: string
  keyId: string
  vkey: string
  url: string
  /** The largest checkpoint this witness has cosigned, and when (ISO time of its cosignature). */
  cosignedSize: number | null
  cosignedAt: string | null
  /** Why the last attempt failed, null when it succeeded. */
  problem: string | null
  /** The last checkpoint the witness refused (a fork or a rewrite: 409 or 422), null after it cosigns again. */
  refused: { size: number; status: number } | null
  lastAttemptAt: string | null
}

interface Peer {
  config: WitnessConfig
  key: CosignerKey
  knownSize: number | null
  problem: string | null
  refused: { size: number; status: number } | null
  lastAttemptAt: number | null
  pending: boolean
  running: Promise<void> | null
}

export interface WitnessOptions {
  /** Attempts per checkpoint on network errors and 5xx (default 5). */
  attempts?: number
  /** First backoff delay, doubled per attempt (default 500 ms). */
  backoffMs?: number
  /** Time allowed for one request (default 10 s). */
  timeoutMs?: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const short = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}…` : text).trim()

export class Witnesses {
  private readonly peers: Peer[] = []
  private stopped = false
  private readonly opts: Required<WitnessOptions>

  constructor(
    private readonly log: CustodyLog,
    private readonly store: CosignatureStore,
    configs: readonly WitnessConfig[],
    private readonly clock: () => number,
    opts: WitnessOptions = {},
  ) {
    this.opts = { attempts: opts.attempts ?? 5, backoffMs: opts.backoffMs ?? 500, timeoutMs: opts.timeoutMs ?? 10_000 }
    for (const c of configs) this.add(c)
    log.onCheckpoint(() => this.push())
  }

  /** Adds a witness (the demo's local one is added once its key is known). */
  add(config: WitnessConfig): void {
    const key = parseCosignerVkey(config.vkey)
    if (this.peers.some((p) => p.key.text === key.text)) return
    this.peers.push({
      config,
      key,
      knownSize: this.store.latestBy(key.text)?.size ?? null,
      problem: null,
      refused: null,
      lastAttemptAt: null,
      pending: false,
      running: null,
    })
  }

  get configured(): boolean {
    return this.peers.length > 0
  }

  /** Sends the latest checkpoint to every witness, in the background. */
  push(): void {
    if (this.stopped) return
    for (const peer of this.peers) {
      peer.pending = true
      peer.running ??= this.run(peer)
        .catch((err) => {
          if (!this.stopped) this.problem(peer, `could not send the checkpoint: ${err instanceof Error ? err.message : String(err)}`)
        })
        .finally(() => {
          peer.running = null
        })
    }
  }

  /** Sends the latest checkpoint and waits until every witness answered or gave up, at most `timeoutMs`. */
  async settle(timeoutMs = 3000): Promise<void> {
    this.push()
    const all = Promise.all(this.peers.map((p) => p.running ?? Promise.resolve()))
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      all,
      new Promise<void>((r) => {
        timer = setTimeout(r, timeoutMs)
      }),
    ])
    clearTimeout(timer)
  }

  /** The checkpoint's note with the stored cosignature lines appended. `witnesses.cosigned(log.checkpoint())` */
  cosigned(cp: { size: number; note: string }): string {
    const lines = this.store.forSize(cp.size).map((r) => r.line)
    return lines.length === 0 ? cp.note : withSignatureLines(cp.note, lines)
  }

  status(): WitnessStatus[] {
    return this.peers.map((p) => {
      const latest = this.store.latestBy(p.key.text)
      return {
        name: p.key.name,
        keyId: keyIdHex(p.key.keyId),
        vkey: p.key.text,
        url: p.config.url,
        cosignedSize: latest?.size ?? null,
        cosignedAt: latest ? new Date(latest.time * 1000).toISOString() : null,
        problem: p.problem,
        refused: p.refused,
        lastAttemptAt: p.lastAttemptAt === null ? null : new Date(p.lastAttemptAt).toISOString(),
      }
    })
  }

  /** No more pushes (server shutdown, tests). */
  stop(): void {
    this.stopped = true
  }

  private async run(peer: Peer): Promise<void> {
    await sleep(0) // never inside the request or transaction that signed the checkpoint
    while (peer.pending && !this.stopped) {
      peer.pending = false
      const cp = this.log.store.latestCheckpoint()
      if (!cp) return
      if (this.store.forSize(cp.size).some((r) => r.witness === peer.key.text)) continue
      await this.sendTo(peer, cp)
    }
  }

  private async sendTo(peer: Peer, cp: { size: number; note: string }): Promise<void> {
    let old = peer.knownSize ?? 0
    let conflicts = 0
    for (let attempt = 1; !this.stopped; ) {
      peer.lastAttemptAt = this.clock()
      if (old > cp.size) {
        return this.problem(
          peer,
          `the witness has cosigned size ${old}, larger than this log's ${cp.size}: entries this witness vouched for are gone (the log was rolled back or rewritten)`,
        )
      }
      let res: Response
      let text: string
      try {
        const proof = old === 0 || old === cp.size ? [] : this.log.consistencyProof(old, cp.size)
        const req = new Request(`${peer.config.url.replace(/\/+$/, '')}/add-checkpoint`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          body: formatAddCheckpoint({ oldSize: old, proof, note: cp.note }),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        })
        res = await (peer.config.fetch ?? fetch)(req)
        text = await res.text()
      } catch (err) {
        peer.problem = `cannot reach the witness: ${err instanceof Error ? err.message : String(err)}`
        if (attempt++ >= this.opts.attempts) return
        await sleep(this.opts.backoffMs * 2 ** (attempt - 2))
        continue
      }
      if (res.status === 200) return this.accept(peer, cp, text)
      if (res.status === 409 && (res.headers.get('Content-Type') ?? '').startsWith(TLOG_SIZE_CONTENT_TYPE)) {
        // The witness knows another size: resend from it (once per size it names).
        let size: number
        try {
          size = parseSizeResponse(text)
        } catch {
          return this.problem(peer, 'the witness answered 409 with an unreadable size')
        }
        if (size === old || ++conflicts > 3) return this.problem(peer, `the witness keeps answering that it knows size ${size}`)
        old = size
        continue
      }
      if (res.status >= 500 || res.status === 429) {
        peer.problem = `the witness answered ${res.status}: ${short(text)}`
        if (attempt++ >= this.opts.attempts) return
        await sleep(this.opts.backoffMs * 2 ** (attempt - 2))
        continue
      }
      // 400, 403, 404, 409 (fork), 422: the witness refuses this checkpoint; retrying cannot change that.
      peer.refused = { size: cp.size, status: res.status }
      return this.problem(peer, `the witness refused checkpoint ${cp.size} (${res.status}): ${short(text)}`)
    }
  }

  private accept(peer: Peer, cp: { size: number; note: string }, body: string): void {
    if (this.stopped) return // the database may be closed already
    const text = cp.note.slice(0, cp.note.lastIndexOf('\n\n') + 1)
    let lines: string[]
    try {
      lines = parseCosignatureResponse(body)
    } catch (err) {
      return this.problem(peer, `the witness's answer is not signature lines: ${(err as Error).message}`)
    }
    let kept = 0
    for (const line of lines) {
      let time: number
      try {
        const c = parseCosignatureLine(line)
        if (c.name !== peer.key.name || c.keyId !== peer.key.keyId) continue // another key of that witness: ignored
        time = verifyCosignature(text, line, peer.key)
      } catch {
        continue
      }
      this.store.insert(cp.size, peer.key.text, line, time, this.clock())
      kept++
    }
    if (kept === 0) return this.problem(peer, `the witness answered without a cosignature that verifies with ${peer.key.name}+${keyIdHex(peer.key.keyId)}`)
    peer.knownSize = cp.size
    peer.problem = null
    peer.refused = null
  }

  private problem(peer: Peer, why: string): void {
    peer.problem = why
    console.error(`[custody] witness ${peer.key.name}: ${why}`)
  }
}
