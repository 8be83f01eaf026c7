// /statistics: the yearly statistics (R9.1). A year picker, the summary report (统计分析报告), the comprehensive
// table (综合统计表) per occupation and level with totals, two charts (Apache ECharts, bundled here: only the bar
// chart and the components used, canvas renderer, whose element styles are set through the CSSOM the CSP allows)
// and CSV downloads (UTF-8, or GB18030 for Excel). Prints on A4 (app.css).
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { type ECharts, init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { type OutputOf, api, url } from './_client.ts'
import { byId, el, tx } from './_dom.ts'
import { LANG_EVENT, T, type Text, setText, tr } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

type YearStats = OutputOf<'GET /api/statistics'>
type Counts = YearStats['totals']

const LEVELS = ['', '一级', '二级', '三级', '四级', '五级']
const LEVELS_EN = ['', 'Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5']
const levelText = (n: number): Text => T(LEVELS[n] ?? `${n}级`, LEVELS_EN[n] ?? `Level ${n}`)
const rateText = (r: number | null): string => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`)

const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  const select = byId<HTMLSelectElement>('stats-year')
  const charts: ECharts[] = []
  let shown: YearStats | null = null

  const { years } = await api('GET /api/statistics/years')
  const asked = Number(new URLSearchParams(location.search).get('year'))
  const thisYear = new Date().getFullYear()
  const choices = [...new Set([...years, thisYear])].sort((a, b) => b - a)
  select.replaceChildren(...choices.map((y) => el('option', { attrs: { value: String(y) } }, String(y))))
  select.value = String(choices.includes(asked) ? asked : (years[0] ?? thisYear))

  async function load(): Promise<void> {
    const year = Number(select.value)
    shown = await api('GET /api/statistics', { query: { year: String(year) } })
    byId<HTMLAnchorElement>('csv-utf8').href = url('GET /api/statistics.csv', { query: { year: String(year), encoding: 'utf-8' } })
    byId<HTMLAnchorElement>('csv-gb18030').href = url('GET /api/statistics.csv', { query: { year: String(year), encoding: 'gb18030' } })
    history.replaceState(null, '', `?year=${year}`)
    render(shown)
  }

  function cells(c: Counts): HTMLTableCellElement[] {
    return [c.batches, c.registered, c.approved, c.paid, c.sat, c.passed]
      .map((n) => el('td', { class: 'num' }, String(n)))
      .concat([el('td', { class: 'num' }, rateText(c.passRate)), ...[c.certified, c.incidents, c.leaks].map((n) => el('td', { class: 'num' }, String(n)))])
  }

  function render(s: YearStats): void {
    setText(byId('stats-title'), T(`${s.year} 年度认定工作统计`, `Certification statistics ${s.year}`))
    byId('summary-text').replaceChildren(tx(s.summary.text))
    byId('stats-empty').hidden = s.rows.length > 0
    byId('stats-body').replaceChildren(
      ...s.rows.map((r) =>
        el(
          'tr',
          { attrs: { 'data-occupation': r.occupationCode, 'data-level': String(r.level) } },
          el('td', {}, r.occupationName, el('br'), el('small', { class: 'muted' }, r.occupationCode)),
          el('td', {}, tx(levelText(r.level))),
          ...cells(r),
        ),
      ),
    )
    byId('stats-foot').replaceChildren(
      el('tr', { class: 'stats-total' }, el('th', { attrs: { scope: 'row', colspan: '2' } }, tx(T('合计', 'Total'))), ...cells(s.totals)),
    )
    drawCharts(s)
  }

  function chartAt(id: string): ECharts {
    const i = id === 'chart-counts' ? 0 : 1
    charts[i] ??= init(byId(id), undefined, { renderer: 'canvas' })
    return charts[i]!
  }

  function drawCharts(s: YearStats): void {
    const names = s.rows.map((r) => `${r.occupationName} ${tr(levelText(r.level))}`)
    const series = (name: Text, pick: (c: Counts) => number) => ({ name: tr(name), type: 'bar' as const, data: s.rows.map(pick) })
    const axis = { type: 'category' as const, data: names, axisLabel: { interval: 0, width: 110, overflow: 'break' as const } }
    chartAt('chart-counts').setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 56 },
        xAxis: axis,
        yAxis: { type: 'value', name: tr(T('人数', 'People')), minInterval: 1 },
        series: [
          series(T('报名', 'Registered'), (c) => c.registered),
          series(T('实考', 'Sat'), (c) => c.sat),
          series(T('合格', 'Passed'), (c) => c.passed),
          series(T('发证', 'Certified'), (c) => c.certified),
        ],
      },
      true,
    )
    chartAt('chart-rate').setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
        legend: { top: 0 },
        grid: { left: 48, right: 16, top: 40, bottom: 56 },
        xAxis: axis,
        yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          {
            name: tr(T('合格率', 'Pass rate')),
            type: 'bar',
            barMaxWidth: 48,
            label: { show: true, position: 'top', formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? `${p.value}%` : '—') },
            data: s.rows.map((r) => (r.passRate === null ? null : Math.round(r.passRate * 1000) / 10)),
          },
        ],
      },
      true,
    )
  }

  select.addEventListener('change', () => void showWhenLoaded(load))
  byId('stats-print').addEventListener('click', () => window.print())
  // Charts follow the window, the printed page and the language.
  const resize = () => charts.forEach((c) => c.resize())
  window.addEventListener('resize', resize)
  window.addEventListener('beforeprint', resize)
  window.addEventListener('afterprint', resize)
  document.addEventListener(LANG_EVENT, () => shown && drawCharts(shown))
  await showWhenLoaded(load)
  resize()
}
