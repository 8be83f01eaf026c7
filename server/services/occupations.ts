import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import { type LifecycleError, type Occupation, type OccupationInput, decideOccupationUpdate, validateOccupation } from '../domain/lifecycle/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { OccupationStore } from '../db/occupation-store.ts'
import type { BatchStore } from '../db/batch-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'

/** The event's summary of an occupation: what changed is in the store, the log says which and its shape. */
const summary = (o: Occupation) => ({
  code: o.code,
  name: o.name,
  hazardous: o.hazardous,
  levels: o.levels.map((l) => ({ level: l.level, subjects: l.subjects.map((s) => `${s.kind}:${s.passMark}/${s.maxMark}`) })),
})

/** Occupations (职业/工种) with levels and subjects: each change commits with its event. */
export class Occupations {
  constructor(
    private readonly db: Database,
    private readonly store: OccupationStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** What batches use of an occupation, from the batch store. */
    private readonly batches: Pick<BatchStore, 'occupationUsage'>,
  ) {}

  list(): Occupation[] {
    return this.store.all()
  }
  get(code: string): Occupation | null {
    return this.store.byCode(code)
  }

  create(actor: Actor, input: OccupationInput): Result<Occupation, LifecycleError> {
    return this.db
      .transaction((): Result<Occupation, LifecycleError> => {
        const decided = validateOccupation(input, null, randomUUID, this.clock())
        if (!decided.ok) return decided
        const o = decided.value
        if (this.store.byCode(o.code)) return refuse({ code: 'occupation.exists', occupationCode: o.code })
        this.store.insert(o)
        this.log.append({ actor, action: 'occupation.created', subject: { type: 'occupation', id: o.code }, data: summary(o) })
        return ok(o)
      })
      .immediate()
  }

  /** Replaces the definition; subjects given with their id keep it (exam sessions refer to them). */
  update(actor: Actor, code: string, input: OccupationInput): Result<Occupation, LifecycleError> {
    return this.db
      .transaction((): Result<Occupation, LifecycleError> => {
        const current = this.store.byCode(code)
        if (!current) return refuse({ code: 'occupation.not_found', occupationCode: code })
        const decided = decideOccupationUpdate(current, input, this.batches.occupationUsage(code), randomUUID, this.clock())
        if (!decided.ok) return decided
        this.store.replace(decided.value, current)
        this.log.append({ actor, action: 'occupation.updated', subject: { type: 'occupation', id: code }, data: summary(decided.value) })
        return ok(decided.value)
      })
      .immediate()
  }
}
