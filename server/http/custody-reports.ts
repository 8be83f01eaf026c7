// Custody reports (issue 4): the timeline of a paper or a packet with each event's inclusion proof against
// the current signed checkpoint, as JSON (for `npm run verify-log -- --proof`), CSV (Excel) and a printable
// A4 page (server-rendered; hono/html escapes every value; no script, no inline style: the CSP forbids both).
import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { html } from 'hono/html'
import { fileURLToPath } from 'node:url'
import type { Packet, Paper } from '../domain/custody/index.ts'
import { type CustodyReport, type ReportEvent, reportCsv } from '../services/custody-reports.ts'
import type { AppEnv, Ctx } from './_context.ts'
import { loadPrincipal } from './_middleware.ts'
import { type RouteEntry, defineRoute, fail, input, refuse } from './_route.ts'
import { errors } from './_schemas.ts'

/** Supervisors read everything of custody (R6.4); custodians keep the records; administrators oversee. */
const READERS = { roles: ['custodian', 'supervisor', 'admin'] } as const
export const CUSTODY_REPORT_CSS_PATH = '/print/custody-report.css'
const CSS_FILE = fileURLToPath(new URL('../../kiosk/styles/custody-report.css', import.meta.url))

const IdParam = z.object({ id: z.string().min(1).max(64) })
const Format = z.object({ format: z.enum(['json', 'csv']).optional() })
const ReportSchema = z.looseObject({
  checkpoint: z.string().openapi({ description: 'The signed checkpoint note every proof leads to' }),
  size: z.number(),
  events: z.array(z.looseObject({
    index: z.number(), time: z.string(), actor: z.unknown(), action: z.string(), data: z.record(z.string(), z.unknown()),
    bytes: z.string(), leafHash: z.string(), inclusionProof: z.array(z.string()),
  })),
}).openapi('CustodyReport')
const REPORT_RESPONSE = {
  content: { 'application/json': { schema: ReportSchema }, 'text/csv': { schema: z.string() } },
  description: 'The report (format=csv: UTF-8 CSV with BOM)',
}
const PAGE_RESPONSE = { content: { 'text/html': { schema: z.string() } }, description: 'Printable A4 report' }

/** Chinese names of the custody actions, for the printed timeline (the action itself is shown too). */
const ACTION_ZH: Readonly<Record<string, string>> = {
  'paper.created': '登记试卷', 'paper.uploaded': '上传加密试卷', 'paper.decrypted': '解密试卷', 'paper.master_key_rotated': '更换主密钥',
  'custody.print.requested': '申请印制', 'custody.print.approved': '批准印制', 'custody.paper.decrypted': '解密试卷',
  'custody.print.printed': '登记印制', 'custody.print.cancelled': '取消印制', 'custody.packet.printed': '试卷袋印制',
  'custody.packet.sealed': '封装', 'custody.packet.stored': '入库', 'custody.packet.issued': '出库交接', 'custody.packet.handed_over': '转交',
  'custody.packet.received': '考点接收', 'custody.packet.sent_back': '退回', 'custody.packet.opened': '启封', 'custody.packet.recovered': '回收清点',
  'custody.packet.resealed': '重新封装', 'custody.packet.returned': '交回', 'custody.packet.reconciled': '核对', 'custody.packet.archived': '归档',
  'custody.packet.destroyed': '销毁', 'custody.packet.frozen': '冻结', 'custody.packet.unfrozen': '解冻', 'custody.packet.voided': '作废',
  'custody.handover.offered': '发起交接', 'custody.handover.declined': '拒收交接', 'custody.handover.cancelled': '撤回交接',
  'custody.incident.recorded': '记录差异', 'custody.disposal.listed': '销毁清单', 'custody.leak.filed': '泄密报告',
  'custody.leak.confirmed': '确认泄密', 'custody.leak.dismissed': '排除泄密', 'custody.paper.frozen': '试卷冻结',
  'custody.paper.unfrozen': '试卷解冻', 'custody.paper.retired': '试卷停用', 'custody.session.suspended': '停考',
  'custody.session.switched_to_paper_b': '启用 B 卷', 'custody.alert_acknowledged': '确认警报',
  'custody.alert.seal_mismatch': '警报：封条不符', 'custody.alert.packet_damaged': '警报：试卷袋破损',
  'custody.alert.recovery_mismatch': '警报：回收数量不符', 'custody.alert.leak': '警报：泄密',
}
const KIND_ZH: Readonly<Record<string, string>> = { paper_a: 'A 卷', paper_b: 'B 卷', answer_key: '答案及评分标准', practical_tasks: '实操试题', exam_data: '考试数据' }
const STATE_ZH: Readonly<Record<string, string>> = {
  active: '有效', frozen: '冻结', retired: '停用', printed: '已印制', sealed: '已封装', in_vault: '在库', issued: '已出库', received: '考点已接收',
  opened: '已启封', recovered: '已回收', reconciled: '已核对', archived: '已归档', destroyed: '已销毁', voided: '已作废',
}
/** Data fields worth a line in the printed timeline, with their labels. */
const DATA_ZH: ReadonlyArray<[string, string]> = [
  ['from', '原状态'], ['to', '新状态'], ['seal', '封条'], ['sealSeen', '所见封条'], ['holder', '保管'], ['giver', '交出人'], ['receiver', '接收人'],
  ['place', '地点'], ['witness', '见证人'], ['openedBy', '启封人'], ['difference', '差异'], ['reason', '理由'], ['method', '方式'],
  ['level', '级别'], ['code', '拒绝原因'], ['keptUntil', '保管至'], ['copies', '份数'],
]

/** An instant as CST wall-clock text: 2026-11-25 09:00:00. */
function cst(iso: string | number): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000)
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

/** Display names: an account id as 姓名（用户名）, a room id as its name. */
type Names = (id: string) => string

function show(v: unknown, names: Names): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'string') return names(v)
  if (Array.isArray(v)) return v.map((x) => show(x, names)).join('、')
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o['userId'] === 'string') return names(o['userId'])
    if (typeof o['place'] === 'string') return o['place']
    if ('first' in o && 'last' in o) return `${String(o['first'])}–${String(o['last'])}`
    return Object.entries(o).map(([k, x]) => `${k} ${show(x, names)}`).join('，')
  }
  return String(v)
}

function summary(e: ReportEvent, names: Names): string {
  const value = (k: string) => (k === 'from' || k === 'to') && typeof e.data[k] === 'string' ? (STATE_ZH[e.data[k]] ?? e.data[k]) : show(e.data[k], names)
  return DATA_ZH.filter(([k]) => e.data[k] !== undefined).map(([k, label]) => `${label}：${value(k)}`).join('；')
}

function factsOf(r: CustodyReport, names: Names): Array<[string, string]> {
  const paper: Paper | null = r.paper
  const rows: Array<[string, string]> = []
  if (paper) rows.push(['试卷', `${paper.title}（${KIND_ZH[paper.kind] ?? paper.kind}）`], ['试卷状态', STATE_ZH[paper.state] ?? paper.state], ['考试场次', paper.examSessionId])
  if (r.kind === 'packet') {
    const p: Packet | undefined = r.packets[0]
    if (p) {
      rows.push(
        ['试卷袋', p.id], ['考场', p.roomId === null ? '（不属于考场）' : names(p.roomId)], ['试卷编号', `${p.copies.first}–${p.copies.last}（${p.contents.copies} 份）`],
        ['状态', STATE_ZH[p.state] ?? p.state], ['封条', p.sealNumber ?? '—'], ['保管', show(p.holder, names)],
      )
    }
  } else {
    rows.push(['试卷袋', `${r.packets.length} 个`])
  }
  rows.push(['编制时间', `${cst(r.generatedAt)}（北京时间）`], ['事件数', String(r.events.length)])
  return rows
}

/** The printed report: facts, the timeline, and the checkpoint it is stamped with. */
export function renderReport(r: CustodyReport, names: Names) {
  const title = r.kind === 'paper' ? '试卷保管记录' : '试卷袋保管记录'
  const format = (e: ReportEvent) => {
    const who = 'user' in e.actor ? names(e.actor.user) : `系统 ${e.actor.system}`
    const cls = [e.outcome === 'refused' ? 'refused' : '', e.action.startsWith('custody.alert.') ? 'alert' : ''].filter(Boolean).join(' ')
    return html`<tr class="${cls}">
  <td class="idx">${e.index}</td><td class="time">${cst(e.time)}</td><td>${who}</td>
  <td>${ACTION_ZH[e.action] ?? e.action}${e.outcome === 'refused' ? '（被拒绝）' : ''}<br><span class="mono muted">${e.action}</span></td>
  <td>${summary(e, names)}</td><td class="hash mono">${Buffer.from(e.leafHash, 'base64').toString('hex').slice(0, 16)}</td>
</tr>`
  }
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} ${r.subject.id}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${CUSTODY_REPORT_CSS_PATH}">
</head>
<body class="report-sheet">
<p class="print-hint">请使用浏览器的打印功能（Ctrl+P），A4 纵向。<span lang="en">Print with the browser (Ctrl+P): A4 portrait.</span></p>
<article class="report" data-report="${r.kind}" data-subject="${r.subject.id}" data-size="${r.size}">
  <header class="report__head">
    <h1 class="report__title">${title}</h1>
    <p class="report__subtitle">Custody report · ${r.kind === 'paper' ? 'paper' : 'packet'} <span class="mono">${r.subject.id}</span></p>
  </header>
  <table class="facts">${factsOf(r, names).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
  <h2>保管过程 Timeline</h2>
  <table class="timeline">
    <thead><tr><th class="idx">序号</th><th class="time">时间（北京）</th><th>操作人</th><th>事项</th><th>内容</th><th class="hash">叶哈希</th></tr></thead>
    <tbody>${r.events.length === 0 ? html`<tr><td class="empty" colspan="6">尚无记录</td></tr>` : r.events.map(format)}</tbody>
  </table>
  <section class="stamp">
    <h2>日志检查点 Signed checkpoint</h2>
    <p>以上每条记录均附有对该检查点的包含证明（RFC 9162），检查点由审计日志密钥签名。日志共 ${r.size} 条记录。</p>
    <pre>${r.checkpoint}</pre>
    <p class="muted">核验：下载 JSON 报告（<span class="mono">/api/reports/${r.kind}s/${r.subject.id}</span>），运行
      <span class="mono">npm run verify-log -- --proof REPORT.json --key VKEY</span>（VKEY 见 <span class="mono">/api/log/key</span>）。</p>
  </section>
  <p class="report__foot">本记录由系统根据审计日志生成 · Generated from the custody log</p>
</article>
</body>
</html>`
}

export function custodyReportRoutes(app: OpenAPIHono<AppEnv>, table: RouteEntry[]): void {
  const s = (c: Ctx) => c.var.services.custodyReports
  // The printable pages live outside /api; they need the caller's session too.
  app.use('/reports/*', loadPrincipal)
  app.get(CUSTODY_REPORT_CSS_PATH, async (c) =>
    c.body(await Bun.file(CSS_FILE).text(), 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache' }))

  const names = (c: Ctx): Names => {
    const cache = new Map<string, string>()
    return (id) => {
      if (!cache.has(id)) {
        const u = c.var.services.accounts.get(id)
        cache.set(id, u ? `${u.displayName}（${u.username}）` : (c.var.services.rooms.room(id)?.name ?? id))
      }
      return cache.get(id)!
    }
  }
  /**
   * A report carries every seal of its packets in signed event bytes that cannot be cut: it is refused to
   * someone who still has to check one of those seals blind (R5.3, decision record 006).
   */
  const blind = (c: Ctx, r: CustodyReport): Response | null => {
    const hidden = c.var.services.custody.firstHidden({ userId: c.var.principal!.userId }, r.packets)
    return hidden ? refuse(c, 'packet.seal_hidden', 'request.refused', { packetId: hidden.id }, { type: 'packet', id: hidden.id }, { packetId: hidden.id }) : null
  }
  const answer = (c: Ctx, r: CustodyReport) => {
    const refused = blind(c, r)
    if (refused) return refused
    if (input<{ format?: string }>(c, 'query').format !== 'csv') return c.json(r, 200, { 'Cache-Control': 'private, no-store' })
    return c.body(reportCsv(r), 200, {
      'Content-Type': 'text/csv; charset=utf-8', 'Cache-Control': 'private, no-store',
      'Content-Disposition': `attachment; filename="custody-${r.kind}-${encodeURIComponent(r.subject.id)}.csv"`,
    })
  }

  defineRoute(app, table, {
    method: 'get', path: '/api/reports/papers/{id}', access: READERS, tags: ['reports'],
    summary: "A paper's custody report: every event of the paper, its print jobs, packets, incidents, disposals and leaks, each with its inclusion proof",
    request: { params: IdParam, query: Format },
    responses: { 200: REPORT_RESPONSE, ...errors(400, 401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).paperReport(id)
    return r ? answer(c, r) : fail(c, 'paper.not_found', { id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/api/reports/packets/{id}', access: READERS, tags: ['reports'],
    summary: "A packet's custody report: its print job, moves, incidents, disposal and leaks, each event with its inclusion proof",
    request: { params: IdParam, query: Format },
    responses: { 200: REPORT_RESPONSE, ...errors(400, 401, 403, 404) },
  }, (c) => {
    const id = c.req.param('id')!
    const r = s(c).packetReport(id)
    return r ? answer(c, r) : fail(c, 'packet.not_found', { id })
  })

  defineRoute(app, table, {
    method: 'get', path: '/reports/papers/{id}', access: READERS, tags: ['reports'],
    summary: "A paper's custody report as a printable A4 page, stamped with the signed checkpoint",
    request: { params: IdParam },
    responses: { 200: PAGE_RESPONSE, ...errors(401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = s(c).paperReport(id)
    if (!r) return fail(c, 'paper.not_found', { id })
    return blind(c, r) ?? c.html(await renderReport(r, names(c)), 200, { 'Cache-Control': 'private, no-store' })
  })

  defineRoute(app, table, {
    method: 'get', path: '/reports/packets/{id}', access: READERS, tags: ['reports'],
    summary: "A packet's custody report as a printable A4 page, stamped with the signed checkpoint",
    request: { params: IdParam },
    responses: { 200: PAGE_RESPONSE, ...errors(401, 403, 404) },
  }, async (c) => {
    const id = c.req.param('id')!
    const r = s(c).packetReport(id)
    if (!r) return fail(c, 'packet.not_found', { id })
    return blind(c, r) ?? c.html(await renderReport(r, names(c)), 200, { 'Cache-Control': 'private, no-store' })
  })
}
