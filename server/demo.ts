import { DEMO_PASSWORD, type Role } from './domain/accounts/index.ts'
import type { Services } from './app.ts'
import { loadLifecycleDemo } from './demo/lifecycle.ts'
import { loadPapersDemo } from './demo/papers.ts'
import { loadRoomsDemo } from './demo/rooms.ts'
import { loadDrillDemo } from './demo/drill.ts'
import type { DemoClock } from './demo/clock.ts'
import { loadFinishedBatch } from './demo/finished-batch.ts'
import { type FinishedResults, loadFinishedResults } from './demo/finished-results.ts'

/** The demo's shared password: printed at start, clearly not for real use; allowed only for demo accounts (decision 005). */
export { DEMO_PASSWORD } from './domain/accounts/index.ts'
const DEMO_ACTOR = { system: 'demo-loader' } as const

/**
 * The demo custodians' key-share passphrases (docs/decisions/008-split-master-key.md): the paper key is dealt
 * 2 of 3 to them at load, so any two of them approve and decrypt a print. Printed at start beside the logins.
 */
export const DEMO_SHARE_PASSPHRASES: Readonly<Record<string, string>> = {
  custodian: 'demo-share-one',
  custodian2: 'demo-share-two',
  custodian3: 'demo-share-three',
}

export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; roles: Role[] }> = [
  { username: 'admin', displayName: '演示 系统管理员', roles: ['admin'] },
  { username: 'registrar', displayName: '演示 考务 王敏', roles: ['registrar'] },
  { username: 'custodian', displayName: '演示 保密员 李强', roles: ['custodian'] },
  { username: 'custodian2', displayName: '演示 保密员 赵丽', roles: ['custodian'] },
  { username: 'custodian3', displayName: '演示 保密员 钱芳', roles: ['custodian'] },
  { username: 'invigilator', displayName: '演示 监考 陈刚', roles: ['invigilator'] },
  { username: 'invigilator2', displayName: '演示 监考 刘洋', roles: ['invigilator'] },
  { username: 'examiner', displayName: '演示 考评 周涛', roles: ['examiner'] },
  { username: 'verifier', displayName: '演示 成绩校对 吴静', roles: ['verifier'] },
  { username: 'verifier2', displayName: '演示 成绩校对 郑洁', roles: ['verifier'] },
  { username: 'supervisor', displayName: '演示 督导 孙伟', roles: ['supervisor'] },
]

/**
 * Loads the clearly marked demo into an empty system: one user per role (two where two-person rules need it),
 * then an exam batch whose sessions are tomorrow (CST): plan, announcement, 90 candidates, rooms, staff,
 * seating, tickets, and papers with packets in different custody states; and a door drill today (demo/drill.ts).
 */
export async function loadDemo(s: Services, clock?: DemoClock, onFinished?: (r: FinishedResults) => void): Promise<Array<{ username: string; roles: Role[] }>> {
  // Given the held demo clock (a new data folder), the demo starts with a finished batch of an earlier month,
  // recorded as of its days (demo/finished-batch.ts); the clock is then released to real time for the rest.
  if (clock && !clock.held) throw new Error('loadDemo: the demo clock was already released')
  s.db.transaction(() => s.log.append({ actor: DEMO_ACTOR, action: 'demo.loaded', data: { note: 'DEMO DATA — not for real use' } })).immediate()
  for (const u of DEMO_USERS) {
    const r = await s.accounts.create(DEMO_ACTOR, { ...u, password: DEMO_PASSWORD }, { demo: true })
    if (!r.ok) throw new Error(`demo user ${u.username}: ${r.error.code}`)
  }
  if (clock) {
    const batch = await loadFinishedBatch(s, clock)
    // then its scores, publication, a review, certificates and a reissue (demo/finished-results.ts)
    const results = await loadFinishedResults(s, clock, batch)
    clock.release()
    onFinished?.(results)
  }
  const lifecycle = await loadLifecycleDemo(s)
  await loadRoomsDemo(s, lifecycle)
  await loadPapersDemo(s, { ...lifecycle, password: DEMO_PASSWORD, passphrases: DEMO_SHARE_PASSPHRASES })
  await loadDrillDemo(s) // the door drill: a session today with its doors open now
  return DEMO_USERS.map(({ username, roles }) => ({ username, roles }))
}
