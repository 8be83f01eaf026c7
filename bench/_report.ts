/**
 * One row per measured figure: the figure, the baseline measured in the same run, their ratio and
 * the target. Printed as a table and written as JSON (.bench/results.json, gitignored).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, platform, totalmem } from 'node:os'
import { dirname } from 'node:path'

/**
 * A target on the ratio (figure / baseline) or on the figure itself. `higher` says which way is
 * better for the figure, so `{ ratioAtLeast: 0.5 }` reads "at least half the baseline rate".
 */
export type Target = { ratioAtLeast: number } | { ratioAtMost: number } | { below: number } | { atLeast: number }

export interface Row {
  /** The benchmark that produced it: append, verify, proof, http, seating. */
  bench: string
  name: string
  figure: number
  unit: string
  baseline: { name: string; value: number; unit: string } | null
  /** figure / baseline.value (a time multiple for seconds, a rate share for rates). */
  ratio: number | null
  /** All must hold; none means the row is information only. */
  targets: Target[]
  met: boolean | null
  notes: string[]
}

export interface RowInput {
  bench: string
  name: string
  figure: number
  unit: string
  baseline?: { name: string; value: number; unit?: string }
  targets?: Target[]
  notes?: string[]
}

/** Builds a row: the ratio and whether the targets are met are computed, never typed in. */
export function row(r: RowInput): Row {
  const baseline = r.baseline ? { name: r.baseline.name, value: r.baseline.value, unit: r.baseline.unit ?? r.unit } : null
  const ratio = baseline && baseline.value > 0 ? r.figure / baseline.value : null
  const targets = r.targets ?? []
  const holds = (t: Target): boolean => {
    if ('ratioAtLeast' in t) return ratio !== null && ratio >= t.ratioAtLeast
    if ('ratioAtMost' in t) return ratio !== null && ratio <= t.ratioAtMost
    if ('below' in t) return r.figure < t.below
    return r.figure >= t.atLeast
  }
  return {
    bench: r.bench,
    name: r.name,
    figure: r.figure,
    unit: r.unit,
    baseline,
    ratio,
    targets,
    met: targets.length === 0 ? null : targets.every(holds),
    notes: r.notes ?? [],
  }
}

/** A benchmark that could not run (a crash is reported, not hidden behind a missing row). */
export function failedRow(bench: string, err: unknown): Row {
  const message = err instanceof Error ? err.message : String(err)
  return { bench, name: `${bench} (did not finish)`, figure: NaN, unit: '', baseline: null, ratio: null, targets: [], met: false, notes: [message] }
}

/** 1234567 → "1,234,567"; 12.345 → "12.3"; 0.01234 → "0.0123". */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '—'
  const a = Math.abs(n)
  if (a >= 1000) return Math.round(n).toLocaleString('en')
  if (a >= 100) return n.toFixed(0)
  if (a >= 10) return n.toFixed(1)
  if (a >= 1) return n.toFixed(2)
  if (a === 0) return '0'
  return n.toPrecision(3)
}

function targetText(t: Target, unit: string): string {
  if ('ratioAtLeast' in t) return `ratio ≥ ${fmt(t.ratioAtLeast)}`
  if ('ratioAtMost' in t) return `ratio ≤ ${fmt(t.ratioAtMost)}`
  if ('below' in t) return `< ${fmt(t.below)} ${unit}`
  return `≥ ${fmt(t.atLeast)} ${unit}`
}

const width = (s: string): number => {
  // East Asian characters take two columns in a terminal.
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1
  return w
}
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)))

/** The final table: name, figure, baseline, ratio, target, met? — then each row's notes. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'figure', 'baseline (same run)', 'ratio', 'target', 'met?']
  const cells = rows.map((r) => [
    r.name,
    Number.isFinite(r.figure) ? `${fmt(r.figure)} ${r.unit}` : '—',
    r.baseline ? `${fmt(r.baseline.value)} ${r.baseline.unit} (${r.baseline.name})` : '—',
    r.ratio === null ? '—' : `${fmt(r.ratio)}x`,
    r.targets.length === 0 ? '(information)' : r.targets.map((t) => targetText(t, r.unit)).join(' and '),
    r.met === null ? '' : r.met ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]!))))
  const line = (c: string[]) =>
    c
      .map((s, i) => pad(s, widths[i]!))
      .join('  ')
      .trimEnd()
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)]
  const notes = rows.flatMap((r) => r.notes.map((n) => `  ${r.name}: ${n}`))
  if (notes.length > 0) out.push('', 'notes:', ...notes)
  return out.join('\n')
}

/** Where and on what the figures were measured: ratios travel between machines, figures do not. */
export function machine(): Record<string, string | number> {
  const cpu = cpus()
  return {
    date: new Date().toISOString(),
    platform: platform(),
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    bun: typeof Bun !== 'undefined' ? Bun.version : 'n/a',
  }
}

export function writeJson(path: string, rows: readonly Row[], extra: Record<string, unknown> = {}): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, JSON.stringify({ machine: machine(), ...extra, rows }, null, 2) + '\n')
}

/** What each benchmark module exports: a name for the command line and a run that returns its rows. */
export interface Benchmark {
  name: string
  title: string
  run(progress: (message: string) => void): Promise<Row[]>
}
