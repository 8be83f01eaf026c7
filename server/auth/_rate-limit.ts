/**
 * Failed-login throttle, per account and per address (issue 2). Kept in memory: a restart clears it,
 * which an attacker cannot trigger; scrypt's cost already bounds the guessing rate per request.
 */
export interface RateLimitPolicy { max: number; windowMs: number }
export const ACCOUNT_POLICY: RateLimitPolicy = { max: 5, windowMs: 15 * 60_000 }
export const ADDRESS_POLICY: RateLimitPolicy = { max: 20, windowMs: 15 * 60_000 }

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>()
  constructor(private readonly policy: RateLimitPolicy) {}

  /** Milliseconds until this key may try again, or 0 when it may try now. */
  retryAfter(key: string, now: number): number {
    const recent = this.recent(key, now)
    if (recent.length < this.policy.max) return 0
    return recent[recent.length - this.policy.max]! + this.policy.windowMs - now
  }

  fail(key: string, now: number): void {
    const recent = this.recent(key, now)
    recent.push(now)
    this.failures.set(key, recent)
    if (this.failures.size > 100_000) this.prune(now)
  }

  clear(key: string): void { this.failures.delete(key) }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.policy.windowMs)
  }

  private prune(now: number): void {
    for (const [k, v] of this.failures) if (v.every((t) => now - t >= this.policy.windowMs)) this.failures.delete(k)
  }
}
