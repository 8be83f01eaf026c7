/**
 * Occupations (职业/工种) the body is filed for: levels 5..1, their eligibility conditions (R3.2), the
 * hazardous flag (R6.5), and per level the examined subjects with pass and maximum marks (R7.1).
 */
import type { OccupationCatalogue } from '../registration/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import type { LifecycleError } from './_refusals.ts'
import { type Instant, type Level, type Occupation, type OccupationLevel, type Subject, type SubjectKind, SUBJECT_KINDS } from './_types.ts'

/** What a form sends; checked here once. A subject given with `id` keeps its identity (sessions refer to it). */
export interface OccupationInput {
  code: string
  name: string
  hazardous?: boolean
  levels: Array<{
    level: number
    conditions?: string
    subjects: Array<{ id?: string; kind: string; name: string; passMark: number; maxMark: number }>
  }>
}

/** National occupational classification codes look like 6-31-01-03; local codes are letters, digits, '-' and '.'. */
const CODE = /^[0-9A-Za-z](?:[0-9A-Za-z.-]{0,30}[0-9A-Za-z])?$/
const MAX_MARK = 1000
const KIND_ORDER: Record<SubjectKind, number> = { theory: 0, practical: 1, other: 2 }

const invalid = (field: string, message: string) => refuse<LifecycleError>({ code: 'occupation.invalid', field, message })

/**
 * Validates a whole occupation definition (create, or the replacement in an update). `current` is the
 * stored occupation when updating: only its subject ids may be reused, each at its own level.
 * Example: validateOccupation({ code: '6-31-01-03', name: '电工', levels: [{ level: 4, subjects: [...] }] }, null, uuid, now)
 */
export function validateOccupation(input: OccupationInput, current: Occupation | null, newId: () => string, now: Instant): Result<Occupation, LifecycleError> {
  const code = input.code.trim()
  if (!CODE.test(code)) return invalid('code', 'expected a code like 6-31-01-03 (letters, digits, "-" and ".", at most 32)')
  if (current && current.code !== code) return invalid('code', `the code of an occupation cannot change (${current.code})`)
  const name = input.name.trim()
  if (name === '' || [...name].length > 50) return invalid('name', 'expected a name of 1–50 characters')
  if (input.levels.length === 0) return invalid('levels', 'an occupation needs at least one level')

  const known = new Map<string, number>()
  for (const l of current?.levels ?? []) for (const s of l.subjects) known.set(s.id, l.level)
  const usedIds = new Set<string>()
  const seenLevels = new Set<number>()
  const levels: OccupationLevel[] = []
  for (const [i, l] of input.levels.entries()) {
    const at = `levels[${i}]`
    if (!Number.isInteger(l.level) || l.level < 1 || l.level > 5) return invalid(`${at}.level`, 'a level is 1 (一级) to 5 (五级)')
    if (seenLevels.has(l.level)) return invalid(`${at}.level`, `level ${l.level} is listed twice`)
    seenLevels.add(l.level)
    const conditions = (l.conditions ?? '').trim()
    if ([...conditions].length > 2000) return invalid(`${at}.conditions`, 'at most 2000 characters')
    if (l.subjects.length === 0) return invalid(`${at}.subjects`, 'a level needs at least one subject')
    const kinds = new Set<string>()
    const subjects: Subject[] = []
    for (const [j, s] of l.subjects.entries()) {
      const sat = `${at}.subjects[${j}]`
      if (!(SUBJECT_KINDS as readonly string[]).includes(s.kind)) return invalid(`${sat}.kind`, 'expected theory, practical or other')
      // One subject per kind and level: R7.3 results and retakes are kept per subject kind.
      if (kinds.has(s.kind)) return invalid(`${sat}.kind`, `two ${s.kind} subjects at level ${l.level}`)
      kinds.add(s.kind)
      const sname = s.name.trim()
      if (sname === '' || [...sname].length > 50) return invalid(`${sat}.name`, 'expected a name of 1–50 characters')
      if (!Number.isInteger(s.maxMark) || s.maxMark < 1 || s.maxMark > MAX_MARK) return invalid(`${sat}.maxMark`, `expected a whole number 1–${MAX_MARK}`)
      if (!Number.isInteger(s.passMark) || s.passMark < 1 || s.passMark > s.maxMark)
        return invalid(`${sat}.passMark`, `expected a whole number 1–${s.maxMark} (the maximum mark)`)
      let id: string
      if (s.id !== undefined) {
        const at = known.get(s.id)
        if (at === undefined) return invalid(`${sat}.id`, 'not a subject of this occupation')
        if (at !== l.level) return invalid(`${sat}.id`, `this subject belongs to level ${at}`)
        if (usedIds.has(s.id)) return invalid(`${sat}.id`, 'listed twice')
        id = s.id
      } else id = newId()
      usedIds.add(id)
      subjects.push({ id, kind: s.kind as SubjectKind, name: sname, passMark: s.passMark, maxMark: s.maxMark })
    }
    subjects.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind])
    levels.push({ level: l.level as Level, conditions, subjects })
  }
  levels.sort((a, b) => b.level - a.level) // 五级 first, as the standards list them
  return ok({ code, name, hazardous: input.hazardous ?? current?.hazardous ?? false, levels, createdAt: current?.createdAt ?? now })
}

/**
 * An update may not remove what is in use: a subject that exam sessions sit, or a level that a batch plans.
 * `usage` is what the store found.
 */
export function decideOccupationUpdate(
  current: Occupation,
  input: OccupationInput,
  usage: { subjectIds: ReadonlySet<string>; levels: ReadonlySet<number> },
  newId: () => string,
  now: Instant,
): Result<Occupation, LifecycleError> {
  const next = validateOccupation(input, current, newId, now)
  if (!next.ok) return next
  const kept = new Set(next.value.levels.flatMap((l) => l.subjects.map((s) => s.id)))
  const keptLevels = new Set(next.value.levels.map((l) => l.level))
  const subjects = [...usage.subjectIds].filter((id) => !kept.has(id)).sort()
  const levels = [...usage.levels].filter((l) => !keptLevels.has(l as Level)).sort()
  if (subjects.length > 0 || levels.length > 0) return refuse({ code: 'occupation.in_use', subjects, levels })
  return next
}

/** The catalogue registration checks against (validateRegistration): codes with their levels and names. */
export function catalogueOf(occupations: readonly Occupation[]): OccupationCatalogue {
  return new Map(occupations.map((o) => [o.code, { name: o.name, levels: o.levels.map((l) => l.level) }]))
}

/** The subjects of one level of an occupation (none when the level is not offered). */
export const subjectsOf = (o: Occupation, level: number): Subject[] => o.levels.find((l) => l.level === level)?.subjects ?? []
