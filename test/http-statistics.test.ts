import { afterEach, describe, expect, test } from 'vitest'
import { type TestApp, makeTestApp } from './_app.ts'
import { withStatistics } from './_statistics-app.ts'
import { planSources, seedStatistics } from './_statistics-fixture.ts'

let app: TestApp
afterEach(() => app?.close())

function setup() {
  app = makeTestApp()
  const plan = seedStatistics(app.services.db, 42)
  const stats = withStatistics(app, planSources(plan))
  return { plan, stats }
}

describe('GET /api/statistics (R9.1)', () => {
  test('admin, supervisor and registrar read a year; other roles are refused (auth.forbidden) and the refusal is logged', async () => {
    const { stats } = setup()
    const expected = stats.year(2026)
    if (!expected.ok) throw new Error('year')
    for (const role of ['admin', 'supervisor', 'registrar'] as const) {
      const { cookie } = await app.userWith([role])
      const res = await app.call('GET', '/api/statistics?year=2026', { cookie })
      expect(res.status, role).toBe(200)
      const body = (await res.json()) as { totals: { registered: number }; rows: unknown[]; summary: { text: { zh: string } } }
      expect(body.totals.registered).toBe(expected.value.totals.registered)
      expect(body.rows.length).toBe(expected.value.rows.length)
      expect(body.summary.text.zh).toContain('2026 年')
    }
    for (const role of ['custodian', 'invigilator', 'examiner'] as const) {
      const { cookie } = await app.userWith([role])
      const before = app.services.log.size()
      const res = await app.call('GET', '/api/statistics?year=2026', { cookie })
      expect(res.status, role).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.forbidden')
      expect(app.services.log.size()).toBeGreaterThan(before)
      expect((await app.call('GET', '/api/statistics.csv?year=2026', { cookie })).status).toBe(403)
    }
    expect((await app.call('GET', '/api/statistics?year=2026')).status).toBe(401)
  })

  test('a year that is not four digits 2000–2100 is refused (statistics.year_invalid)', async () => {
    setup()
    const { cookie } = await app.userWith(['admin'])
    for (const y of ['1999', '2101', 'abcd', '26', '2026.0']) {
      const res = await app.call('GET', `/api/statistics?year=${y}`, { cookie })
      expect(res.status, y).toBe(400)
      expect(((await res.json()) as { error: { code: string; message: string } }).error.code).toBe('statistics.year_invalid')
    }
    expect((await app.call('GET', '/api/statistics', { cookie })).status).toBe(400)
  })

  test('the years with batches, newest first', async () => {
    const { stats } = setup()
    const { cookie } = await app.userWith(['registrar'])
    const res = await app.call('GET', '/api/statistics/years', { cookie })
    expect(await res.json()).toEqual({ years: stats.years() })
    expect(stats.years().length).toBeGreaterThan(0)
  })
})

describe('GET /api/statistics.csv', () => {
  test('UTF-8 with a BOM, Chinese headers, the pass rate as a percent, a filename with the year', async () => {
    const { stats } = setup()
    const { cookie } = await app.userWith(['supervisor'])
    const res = await app.call('GET', '/api/statistics.csv?year=2026&encoding=utf-8', { cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="statistics-2026.csv"')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lines = text.slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      '年度,职业编码,职业（工种）,等级,批次数,报名人数,审核通过人数,缴费人数,实考人数,合格人数,合格率,发证人数,考场事件,泄密事件,成绩未公布批次',
    )
    const y = stats.year(2026)
    if (!y.ok) throw new Error('year')
    expect(lines.length).toBe(y.value.rows.length + 2)
    const total = lines.at(-1)!.split(',')
    expect(total[2]).toBe('合计')
    expect(Number(total[5])).toBe(y.value.totals.registered)
    expect(total[10]).toMatch(/^(\d{1,3}\.\d%|—)$/)
    // the default encoding is UTF-8
    expect(new Uint8Array(await (await app.call('GET', '/api/statistics.csv?year=2026', { cookie })).arrayBuffer())).toEqual(bytes)
  })

  test('GB18030 bytes decode back to the same text (TextDecoder gb18030)', async () => {
    setup()
    const { cookie } = await app.userWith(['registrar'])
    const utf8 = new TextDecoder('utf-8').decode(await (await app.call('GET', '/api/statistics.csv?year=2026&encoding=utf-8', { cookie })).arrayBuffer())
    const res = await app.call('GET', '/api/statistics.csv?year=2026&encoding=gb18030', { cookie })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=gb18030')
    expect(res.headers.get('content-disposition')).toContain('statistics-2026-gb18030.csv')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes[0]).not.toBe(0xef) // no BOM: a GB18030 file carries none
    // 年度 in GB18030 is C4 EA B6 C8
    expect([...bytes.slice(0, 4)]).toEqual([0xc4, 0xea, 0xb6, 0xc8])
    expect(new TextDecoder('gb18030').decode(bytes)).toBe(utf8)
  })

  test('an unknown encoding is refused (statistics.encoding_invalid)', async () => {
    setup()
    const { cookie } = await app.userWith(['admin'])
    const res = await app.call('GET', '/api/statistics.csv?year=2026&encoding=latin1', { cookie })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('statistics.encoding_invalid')
  })
})

describe('the /statistics page bundle', () => {
  test('ECharts is bundled locally and tree-shaken: the page loads under 250 KB gzipped, well under the full library', async () => {
    const { buildBundles, staticClosure } = await import('../server/http/page-bundles.ts')
    const bundles = await buildBundles(new URL('../kiosk/src/', import.meta.url).pathname)
    const files = staticClosure(bundles, bundles.entries.get('statistics')!).map((f) => bundles.files.get(f)!.text)
    const gzipped = files.reduce((n, t) => n + Bun.gzipSync(new TextEncoder().encode(t)).length, 0)
    expect(gzipped).toBeLessThan(250 * 1024)
    const all = files.join('\n')
    expect(all).not.toMatch(/https?:\/\/cdn|jsdelivr|unpkg/)
    // Tree-shaken: well under the full library's own minified build.
    const full = Bun.gzipSync(
      new Uint8Array(await Bun.file(new URL('../node_modules/echarts/dist/echarts.min.js', import.meta.url).pathname).arrayBuffer()),
    ).length
    expect(gzipped).toBeLessThan(full * 0.65)
  }, 30_000)
})
