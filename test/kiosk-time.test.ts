// Times as people in China read them (kiosk/src/_time.ts): UTC+8, no daylight saving.
import { describe, expect, test } from 'vitest'
import { formatCst, formatCstDate } from '../kiosk/src/_time.ts'
import { T0 } from './_app.ts'

describe('China Standard Time formatting', () => {
  test('an ISO UTC time is shown at UTC+8 with the 北京时间 label (Beijing time in English)', () => {
    expect(formatCst('2026-11-25T01:00:00.000Z')).toBe('2026-11-25 09:00:00 北京时间')
    expect(formatCst(T0)).toBe('2026-11-25 09:00:00 北京时间')
    expect(formatCst(new Date('2026-06-01T12:34:56Z'))).toBe('2026-06-01 20:34:56 北京时间') // summer: still +8
    expect(formatCst(T0, 'en')).toBe('2026-11-25 09:00:00 Beijing time')
  })

  test('the day, month and year roll over at midnight in China, not in UTC', () => {
    expect(formatCst('2026-11-24T16:30:00Z')).toBe('2026-11-25 00:30:00 北京时间')
    expect(formatCst('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00 北京时间')
    expect(formatCst('2026-11-24T15:59:59.999Z')).toBe('2026-11-24 23:59:59 北京时间')
    expect(formatCstDate('2026-11-24T16:30:00Z')).toBe('2026-11-25')
  })

  test('an unreadable time is shown as a dash, not as a wrong date', () => {
    expect(formatCst('not a time')).toBe('—')
    expect(formatCst(Number.NaN)).toBe('—')
    expect(formatCstDate('')).toBe('—')
  })
})
