/**
 * Login throttle (decision 005). An attempt is counted BEFORE its password is hashed, so parallel guesses
 * are counted as they arrive; a success takes its own attempt back and clears its account+address pair.
 * Three limits: per account+address pair (a stranger's failures do not lock the account's owner out from
 * another address), a slower one per account (guessing from many addresses), and one per address
 * (spraying many accounts). A pair that logged in recently meets only its own limit (KNOWN_PAIR_MS). Kept in memory, each map bounded: a restart clears it, which an attacker cannot
 * trigger, and invented usernames cannot grow it without limit.
 */
export interface RateLimitPolicy {
  max: number
  windowMs: number
}
export const PAIR_POLICY: RateLimitPolicy = { max: 5, windowMs: 15 * 60_000 }
export const ACCOUNT_POLICY: RateLimitPolicy = { max: 50, windowMs: 60 * 60_000 }
export const ADDRESS_POLICY: RateLimitPolicy = { max: 20, windowMs: 15 * 60_000 }
/** Keys kept per map; past it the expired go first, then the oldest. */
export const THROTTLE_MAX_KEYS = 20_000
/**
 * How long an account+address pair that logged in stays known. A known pair meets only its own limit: a
 * stranger's failures for the account from elsewhere (the per-account limit) or for other names from the
 * same address (the per-address limit) do not lock a person out of the place they work from (decision 005).
 */
export const KNOWN_PAIR_MS = 14 * 24 * 3600_000

export class FailureThrottle {
  private readonly attempts = new Map<string, number[]>()
  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly maxKeys = THROTTLE_MAX_KEYS,
  ) {}

  get size(): number {
    return this.attempts.size
  }

  /** Milliseconds until this key may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const recent = this.recent(key, now)
    if (recent.length < this.policy.max) return 0
    return recent[recent.length - this.policy.max]! + this.policy.windowMs - now
  }

  /** Counts one attempt (at most `max` timestamps are kept per key). */
  count(key: string, now: number): void {
    const recent = this.recent(key, now)
    recent.push(now)
    this.attempts.delete(key) // re-inserted last: the map's order is oldest activity first
    this.attempts.set(key, recent.slice(-this.policy.max))
    if (this.attempts.size > this.maxKeys) this.prune(now)
  }

  /** Takes back one attempt counted at `at` (it succeeded). */
  uncount(key: string, at: number): void {
    const list = this.attempts.get(key)
    if (!list) return
    const i = list.lastIndexOf(at)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) this.attempts.delete(key)
  }

  clear(key: string): void {
    this.attempts.delete(key)
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((t) => now - t < this.policy.windowMs)
  }

  private prune(now: number): void {
    for (const [k, v] of this.attempts) if (v.every((t) => now - t >= this.policy.windowMs)) this.attempts.delete(k)
    for (const k of this.attempts.keys()) {
      if (this.attempts.size <= this.maxKeys) break
      this.attempts.delete(k)
    }
  }
}

/** A counted attempt, to be settled as a success (taken back) or left as a failure. */
export interface Attempt {
  username: string
  address: string
  at: number
}

/** The three limits together. */
export class LoginThrottle {
  readonly pair: FailureThrottle
  readonly account: FailureThrottle
  readonly address: FailureThrottle
  /** Pairs that logged in, with the time of their last success (oldest first), bounded like the limits. */
  private readonly known = new Map<string, number>()

  constructor(private readonly maxKeys = THROTTLE_MAX_KEYS) {
    this.pair = new FailureThrottle(PAIR_POLICY, maxKeys)
    this.account = new FailureThrottle(ACCOUNT_POLICY, maxKeys)
    this.address = new FailureThrottle(ADDRESS_POLICY, maxKeys)
  }

  /** Counts an attempt before any hashing, or says how many milliseconds to wait. */
  begin(username: string, address: string, now: number): { attempt: Attempt } | { waitMs: number } {
    const pairKey = pairOf(username, address)
    const lastSuccess = this.known.get(pairKey)
    const known = lastSuccess !== undefined && now - lastSuccess < KNOWN_PAIR_MS
    const waitMs = known
      ? this.pair.retryAfter(pairKey, now)
      : Math.max(this.pair.retryAfter(pairKey, now), this.account.retryAfter(username, now), this.address.retryAfter(address, now))
    if (waitMs > 0) return { waitMs }
    this.pair.count(pairKey, now)
    this.account.count(username, now)
    this.address.count(address, now)
    return { attempt: { username, address, at: now } }
  }

  /** The password was right: the attempt is taken back and the pair's failures forgotten. */
  succeeded(a: Attempt): void {
    const pairKey = pairOf(a.username, a.address)
    this.known.delete(pairKey) // re-inserted last: oldest success first
    this.known.set(pairKey, a.at)
    for (const k of this.known.keys()) {
      if (this.known.size <= this.maxKeys) break
      this.known.delete(k)
    }
    this.pair.clear(pairKey)
    this.account.uncount(a.username, a.at)
    this.address.uncount(a.address, a.at)
  }

  /** The password was not checked (the server was busy): the attempt is taken back. */
  notTried(a: Attempt): void {
    this.pair.uncount(pairOf(a.username, a.address), a.at)
    this.account.uncount(a.username, a.at)
    this.address.uncount(a.address, a.at)
  }
}

const pairOf = (username: string, address: string) => `${username}\u0000${address}`
