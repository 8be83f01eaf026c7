/**
 * The demo's movable clock: createApp's `clock` while the demo loads a history into a new data folder. It starts
 * held at a past instant, is moved forward step by step as the history is recorded (so every custody-log time is
 * honest and the log's times only increase), then released for good to the real clock.
 */
export interface DemoClock {
  /** The time services read: the held instant, or the real time once released. */
  (): number
  /** Whether the clock is still held in the past. */
  readonly held: boolean
  /** Moves the held clock forward to `at` (never back: the log's times only increase). */
  to(at: number): void
  /** Moves the held clock forward by `ms`. */
  advance(ms: number): void
  /** Hands over to the real clock for good (the held time must not be ahead of it). */
  release(): void
  /** The real time, held or not (the history is laid out backwards from it). */
  real(): number
}

export class DemoClockError extends Error {
  override name = 'DemoClockError'
}

/** A clock held at `start` until released; `real` is Date.now unless a test fixes it. */
export function createDemoClock(start: number, real: () => number = Date.now): DemoClock {
  let heldAt: number | null = start
  const clock = (() => (heldAt === null ? real() : heldAt)) as DemoClock
  Object.defineProperty(clock, 'held', { get: () => heldAt !== null })
  clock.to = (at: number) => {
    if (heldAt === null) throw new DemoClockError('the demo clock was released: it follows the real clock now')
    if (!Number.isSafeInteger(at) || at < heldAt) throw new DemoClockError(`the demo clock only moves forward (at ${heldAt}, asked ${at})`)
    heldAt = at
  }
  clock.advance = (ms: number) => clock.to(clock() + ms)
  clock.release = () => {
    if (heldAt !== null && heldAt > real()) throw new DemoClockError('the demo history runs ahead of the real clock')
    heldAt = null
  }
  clock.real = real
  return clock
}
