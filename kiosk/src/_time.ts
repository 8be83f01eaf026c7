// Times are stored and sent as UTC (ISO 8601); people read them in Beijing time (北京时间). China has kept
// UTC+8 without daylight saving since 1991, so a fixed offset is exact and needs no time-zone data.
import { type Lang, currentLang } from './_i18n.ts'

const CST_OFFSET_MS = 8 * 3600_000

const toMs = (t: string | number | Date): number => (typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t))

/** `formatCst('2026-11-25T01:00:00.000Z')` → `'2026-11-25 09:00:00 北京时间'` (`… Beijing time` in English); an unreadable time → `'—'`. */
export function formatCst(t: string | number | Date, lang: Lang = currentLang()): string {
  const ms = toMs(t)
  if (!Number.isFinite(ms)) return '—'
  const s = new Date(ms + CST_OFFSET_MS).toISOString() // read the shifted clock as if it were UTC
  return `${s.slice(0, 10)} ${s.slice(11, 19)} ${lang === 'en' ? 'Beijing time' : '北京时间'}`
}

/** `formatCstDate('2026-11-24T16:30:00Z')` → `'2026-11-25'` (the calendar day in China). */
export function formatCstDate(t: string | number | Date): string {
  const ms = toMs(t)
  return Number.isFinite(ms) ? new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10) : '—'
}
