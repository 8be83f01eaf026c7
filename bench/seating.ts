/**
 * Seating at scale: 1,000,000 candidates into 35,000 rooms (theory rooms of 30, every 50th a
 * practical room of 40). Units are skewed: 10% individuals, about half from 200 large units
 * (~2,250 each), the rest from 20,000 small ones. The baseline, measured in the same run, is a
 * plain comparator sort of the same candidates by id (a floor any deterministic seating pays).
 * Run alone: `npx bun bench/seating.ts`. Budget: under 10 s.
 */
import { assignSeats, type SeatingCandidate, type SeatingRoom } from '../server/domain/seating/index.ts'

const CANDIDATES = 1_000_000
const ROOMS = 35_000

/** Synthetic data from a fixed LCG so every run measures the same input. */
function syntheticSession(): { candidates: SeatingCandidate[]; rooms: SeatingRoom[] } {
  let x = 12345
  const rand = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    return x % n
  }
  // Unit names come from a pool, as a database hands back flat strings.
  const units = Array.from({ length: 20_000 }, (_, i) => `培训单位-${i}`)
  const candidates: SeatingCandidate[] = []
  for (let i = 0; i < CANDIDATES; i++) {
    // Skewed unit sizes: a few large schools, many small ones, 10% individuals.
    const u = rand(10) === 0 ? null : units[rand(2) === 0 ? rand(200) : rand(20_000)]!
    candidates.push({ id: `c${String(rand(1e9)).padStart(9, '0')}-${i}`, trainingUnit: u })
  }
  const rooms: SeatingRoom[] = []
  for (let r = 0; r < ROOMS; r++) {
    rooms.push(r % 50 === 0 ? { id: `p${r}`, capacity: 40, kind: 'practical' } : { id: `t${r}`, capacity: 30, kind: 'theory' })
  }
  return { candidates, rooms }
}

export async function benchSeating(): Promise<{ name: string; seconds: number; note: string }> {
  const { candidates, rooms } = syntheticSession()
  const t0 = performance.now()
  candidates.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const baseline = (performance.now() - t0) / 1000

  const t1 = performance.now()
  const result = assignSeats({ candidates, rooms, seed: 'bench', options: { keepTicketed: true } })
  const seconds = (performance.now() - t1) / 1000
  if (!result.ok) throw new Error(`bench seating refused: ${result.error.code}`)
  if (result.value.assignments.length !== CANDIDATES) throw new Error('bench seating lost candidates')
  const seats = rooms.reduce((s, r) => s + r.capacity, 0)
  return {
    name: 'seating',
    seconds,
    note:
      `${CANDIDATES.toLocaleString('en')} candidates into ${ROOMS.toLocaleString('en')} rooms (${seats.toLocaleString('en')} seats): ` +
      `${seconds.toFixed(2)} s, ${(seconds / baseline).toFixed(1)}x a plain sort by id (${baseline.toFixed(2)} s); budget 10 s`,
  }
}

if (import.meta.main) {
  const r = await benchSeating()
  console.log(`${r.name}: ${r.note}`)
}
