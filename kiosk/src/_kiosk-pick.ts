// Which of a person's rooms the door tablet offers first. An invigilator keeps every assignment they ever had
// (the finished batches' too), but at a door on exam day the choice is today's and the coming sessions, soonest
// first; sessions that ended on an earlier day (China time) are set apart, still reachable (an examiner may sign
// a practical sheet the day after), never in the way.
import { formatCstDate } from './_time.ts'

export interface SessionTimes {
  startsAt: string
  endsAt: string
}

export interface DoorChoices<A> {
  /** Today's and later sessions by start time; sessions whose times are unknown (not loaded) last. */
  current: A[]
  /** Sessions that ended before today, the most recent first. */
  earlier: A[]
}

export function doorChoices<A extends { examSessionId: string }>(mine: readonly A[], sessions: ReadonlyMap<string, SessionTimes>, now: number): DoorChoices<A> {
  const today = formatCstDate(now)
  const current: A[] = []
  const earlier: A[] = []
  for (const a of mine) {
    const s = sessions.get(a.examSessionId)
    if (s && formatCstDate(s.endsAt) < today) earlier.push(a)
    else current.push(a)
  }
  const start = (a: A) => {
    const ms = Date.parse(sessions.get(a.examSessionId)?.startsAt ?? '')
    return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY
  }
  const soonest = (x: A, y: A) => (start(x) === start(y) ? 0 : start(x) < start(y) ? -1 : 1)
  current.sort(soonest)
  earlier.sort((x, y) => soonest(y, x))
  return { current, earlier }
}
