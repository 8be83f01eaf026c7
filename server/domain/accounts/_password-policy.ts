import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'

/**
 * Password policy (decision 005): at least 12 characters and not common or guessable, judged by zxcvbn
 * (@zxcvbn-ts/core with its common dictionaries: passwords, names, keyboard patterns, dates, repeats),
 * not a hand-made list. The account's own username and name, and the system's published words, count as
 * guessable. The demo password is published in the README: it is allowed only for demo accounts.
 */
export const PASSWORD_MIN_LENGTH = 12
/** zxcvbn score 3: "safely unguessable: moderate protection from offline slow-hash scenario". */
export const PASSWORD_MIN_SCORE = 3
/** The demo's shared password, printed at start and in the README (server/demo.ts uses it). */
export const DEMO_PASSWORD = 'custody-demo'
/** Words anyone can read off this system: passwords built from them are guessable. */
const PUBLISHED_WORDS = ['custody', 'custody-demo', 'demo', 'exam', 'paper', 'admin', 'password']
/** zxcvbn's cost grows with length; a longer password is judged by its first part. */
const ESTIMATE_CHARS = 100

export type PasswordWeakness = 'short' | 'guessable' | 'published'
export interface WeakPassword {
  code: 'user.password_weak'
  minLength: number
  reason: PasswordWeakness
}

/** An input and its parts: 'li.qiang' also as 'liqiang', 'li' and 'qiang'. */
const wordsOf = (input: string): string[] => {
  const parts = input
    .toLowerCase()
    .split(/[\s._@-]+/)
    .filter((w) => w.length >= 2)
  return [...new Set([input.toLowerCase(), parts.join(''), ...parts])].filter((w) => w.length >= 2)
}

let estimator: ZxcvbnFactory | null = null
const estimate = (password: string, inputs: readonly string[]): number => {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs })
  return estimator.check(password.slice(0, ESTIMATE_CHARS), [...inputs]).score
}

/**
 * Judges a new password. `userInputs` are the account's own words (username, display name);
 * `demo` is set only by the demo loader, for whose accounts the published demo password is allowed.
 */
export function checkPassword(password: string, userInputs: readonly string[] = [], opts: { demo?: boolean } = {}): WeakPassword | null {
  if (opts.demo && password === DEMO_PASSWORD) return null
  const weak = (reason: PasswordWeakness): WeakPassword => ({ code: 'user.password_weak', minLength: PASSWORD_MIN_LENGTH, reason })
  if ([...password].length < PASSWORD_MIN_LENGTH) return weak('short')
  if (password.trim().toLowerCase() === DEMO_PASSWORD) return weak('published')
  const inputs = [...userInputs.flatMap(wordsOf), ...PUBLISHED_WORDS]
  return estimate(password, inputs) < PASSWORD_MIN_SCORE ? weak('guessable') : null
}
