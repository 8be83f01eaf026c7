// People by name beside the ids of custody records: a response that names holders, givers, witnesses or log
// actors by account id also carries `people: { [id]: { displayName, username } }`, so a page shows 张三
// (zhang.san) and never e9811387…. Names are not secret among staff (decision record 010); the ids stay
// in the records and in links. Only account ids found under the keys below are named.
import { z } from '@hono/zod-openapi'
import type { Ctx } from './_context.ts'

export interface PersonName {
  displayName: string
  username: string
}
export type People = Record<string, PersonName>

export const PeopleSchema = z
  .record(z.string(), z.object({ displayName: z.string(), username: z.string() }))
  .openapi('People', { description: 'The display name and username of every account id in the answer' })

/** The keys under which custody records (packets, handovers, leak reports, traces, log events) hold account ids. */
const PERSON_KEYS: ReadonlySet<string> = new Set([
  'userId',
  'user',
  'printedBy',
  'openedBy',
  'giver',
  'receiver',
  'witness',
  'second',
  'filedBy',
  'decidedBy',
  'reportedBy',
  'confirmedBy',
  'people',
  'acknowledgedBy',
  'disposedBy',
  'witnessedBy',
  'uploadedBy',
  'requestedBy',
  'approvedBy',
  'approvals',
  'decryptedBy',
  'printedByUser',
  'by',
  'holders',
  'holder',
  'actor',
  'frozenBy',
  'approvers',
])

function collect(v: unknown, named: boolean, out: Set<string>, depth: number): void {
  if (depth > 8 || v === null || v === undefined) return
  if (typeof v === 'string') {
    if (named) out.add(v)
    return
  }
  if (Array.isArray(v)) {
    for (const x of v) collect(x, named, out, depth + 1)
    return
  }
  if (typeof v === 'object') for (const [k, x] of Object.entries(v)) collect(x, PERSON_KEYS.has(k), out, depth + 1)
}

/** `peopleIn(c, view)`: the names of every account id found in `values`, by id (strings that are no account are skipped). */
export function peopleIn(c: Ctx, ...values: unknown[]): People {
  const ids = new Set<string>()
  for (const v of values) collect(v, false, ids, 0)
  const out: People = {}
  for (const id of ids) {
    if (id.length > 64) continue
    const u = c.var.services.accounts.get(id)
    if (u) out[id] = { displayName: u.displayName, username: u.username }
  }
  return out
}
