import type { Actor, CustodyLog, EventDraft } from './custody-log.ts'

/** How many refusals of one user are logged one by one per window before they are only counted. */
export interface RefusalLimits {
  perWindow: number
  windowMs: number
}
export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { perWindow: 60, windowMs: 60_000 }

interface Window {
  start: number
  logged: number
  suppressed: number
  codes: Map<string, number>
  actor: Actor
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Refusals of logged-in users are custody events, but no user may flood the log with them
 * (decision 007): per user and window the first `perWindow` are logged one by one; the rest are
 * counted, and one `request.refused_summary` event carries the count and the codes when the window
 * has closed (at the next refusal of anyone, or the server's periodic flush). The user's answer is
 * the same either way.
 */
export class RefusalLog {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS,
  ) {}

  /** Logs one refusal event (its own transaction), or counts it when its user's window is full. */
  record(d: EventDraft & { data: { code: string } }): void {
    if (this.log.damaged) return
    const now = this.clock()
    this.flush(now)
    const who = 'user' in d.actor ? d.actor.user : null
    if (who === null) {
      this.log.appendAlone({ ...d, outcome: 'refused' })
      return
    }
    let w = this.windows.get(who)
    if (!w) {
      w = { start: now, logged: 0, suppressed: 0, codes: new Map(), actor: d.actor }
      this.windows.set(who, w)
    }
    if (w.logged < this.limits.perWindow) {
      w.logged++
      this.log.appendAlone({ ...d, outcome: 'refused' })
      return
    }
    w.suppressed++
    w.codes.set(d.data.code, (w.codes.get(d.data.code) ?? 0) + 1)
  }

  /** Writes the summary of every window that has closed by `now`; returns how many it wrote. */
  flush(now = this.clock()): number {
    let written = 0
    for (const [who, w] of this.windows) {
      if (now < w.start + this.limits.windowMs) continue
      this.windows.delete(who)
      if (w.suppressed > 0 && this.summarise(w)) written++
    }
    return written
  }

  /** Writes every open window's summary now (at shutdown). */
  flushAll(): void {
    for (const w of this.windows.values()) if (w.suppressed > 0) this.summarise(w)
    this.windows.clear()
  }

  private summarise(w: Window): boolean {
    if (this.log.damaged) return false
    this.log.appendAlone({
      actor: w.actor,
      action: 'request.refused_summary',
      outcome: 'refused',
      subject: null,
      data: {
        count: w.suppressed,
        loggedOneByOne: w.logged,
        windowStart: iso(w.start),
        windowEnd: iso(w.start + this.limits.windowMs),
        codes: Object.fromEntries([...w.codes].sort(([a], [b]) => (a < b ? -1 : 1))),
      },
    })
    return true
  }
}
