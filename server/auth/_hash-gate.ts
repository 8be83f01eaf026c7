/**
 * At most a few password hashes at once (decision 005). scrypt with N=2^15 takes 32 MiB and ~150-200 ms;
 * unbounded, 100 parallel logins held 3.4 GB. Past `concurrency` a hash waits in a bounded queue; past
 * the queue the caller is told the server is busy (503 with Retry-After) and nothing is hashed.
 * Logins, a user's own password change and the witness checks of opening and disposal share one gate.
 */
export interface HashGateOptions {
  concurrency: number
  queue: number
}
export const DEFAULT_HASH_GATE: HashGateOptions = { concurrency: 2, queue: 16 }

export const BUSY = Symbol('hash gate busy')

export class HashGate {
  private active = 0
  private readonly waiting: Array<() => void> = []
  /** The most hashes that ever ran at once (for tests and monitoring). */
  peak = 0

  constructor(private readonly opts: HashGateOptions = DEFAULT_HASH_GATE) {
    if (!(opts.concurrency >= 1) || !(opts.queue >= 0)) throw new Error('HashGate: concurrency >= 1 and queue >= 0 expected')
  }

  get running(): number {
    return this.active
  }
  get queued(): number {
    return this.waiting.length
  }

  /** Runs `work` when a slot is free, or answers BUSY at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T | typeof BUSY> {
    if (this.active >= this.opts.concurrency) {
      if (this.waiting.length >= this.opts.queue) return BUSY
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.active++
    }
    this.peak = Math.max(this.peak, this.active)
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next)
        next() // the slot passes straight to the next in line
      else this.active--
    }
  }
}
