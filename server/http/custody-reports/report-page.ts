import { html } from 'hono/html'
import { actionName } from '../../../audit/index.ts'
import type { Packet, Paper } from '../../domain/custody/index.ts'
import type { CustodyReport, ReportEvent } from '../../services/custody-reports.ts'
import { ERRORS, type ErrorCode } from '../_errors.ts'

export const CUSTODY_REPORT_CSS_PATH = '/print/custody-report.css'

const KIND_ZH: Readonly<Record<string, string>> = {
  paper_a: 'A 卷',
  paper_b: 'B 卷',
  answer_key: '答案及评分标准',
  practical_tasks: '实操试题',
  exam_data: '考试数据',
}
const STATE_ZH: Readonly<Record<string, string>> = {
  active: '有效',
  frozen: '冻结',
  retired: '停用',
  printed: '已印制',
  sealed: '已封装',
  in_vault: '在库',
  issued: '已出库',
  received: '考点已接收',
  opened: '已启封',
  recovered: '已回收',
  reconciled: '已核对',
  archived: '已归档',
  destroyed: '已销毁',
  voided: '已作废',
}
/** Data fields worth a line in the printed timeline, with their labels. */
const DATA_ZH: ReadonlyArray<[string, string]> = [
  ['from', '原状态'],
  ['to', '新状态'],
  ['seal', '封条'],
  ['sealSeen', '所见封条'],
  ['holder', '保管'],
  ['giver', '交出人'],
  ['receiver', '接收人'],
  ['place', '地点'],
  ['witness', '见证人'],
  ['openedBy', '启封人'],
  ['difference', '差异'],
  ['reason', '理由'],
  ['method', '方式'],
  ['level', '级别'],
  ['code', '拒绝原因'],
  ['keptUntil', '保管至'],
  ['copies', '份数'],
  ['people', '涉及人员'],
]

/** An instant as Beijing wall-clock text: 2026-11-25 09:00:00. */
export function cst(iso: string | number): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000)
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

/**
 * Names for the printed report (decision record 010): `names(id)` is a person's display name or a room's
 * "site room" name (else the id as it is); `user(id)` the username shown small beside a name.
 */
export interface Names {
  (id: string): string
  user(id: string): string | null
  session(id: string): string | null
}

/** Where a packet is, in words: the vault, the archive, a room by name. */
const PLACE_ZH: Readonly<Record<string, string>> = { vault: '保密室', archive: '档案室', destroyed: '已销毁' }
const place = (p: string, names: Names): string => PLACE_ZH[p] ?? (p.startsWith('room:') ? names(p.slice(5)) : p)
/** Count fields (a recovery's difference or counts) by their Chinese names. */
const COUNT_ZH: Readonly<Record<string, string>> = {
  copies: '试卷',
  answerSheets: '答题卡',
  scratchPaper: '草稿纸',
  used: '已用',
  blank: '空白',
  spoiled: '作废',
}

function show(v: unknown, names: Names): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'string') return names(v)
  if (Array.isArray(v)) return v.map((x) => show(x, names)).join('、')
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o['userId'] === 'string') return names(o['userId'])
    if (typeof o['place'] === 'string') return place(o['place'], names)
    if ('first' in o && 'last' in o) return `${String(o['first'])}–${String(o['last'])}`
    return Object.entries(o)
      .map(([k, x]) => `${COUNT_ZH[k] ?? k} ${show(x, names)}`)
      .join('，')
  }
  return String(v)
}

function summary(e: ReportEvent, names: Names): string {
  const value = (k: string): string => {
    const v = e.data[k]
    if ((k === 'from' || k === 'to') && typeof v === 'string') return STATE_ZH[v] ?? v
    // A refusal's code as the sentence the person was told (the code is in the signed bytes and the JSON).
    if (k === 'code' && typeof v === 'string' && v in ERRORS) return ERRORS[v as ErrorCode].zh.replace(/\{\w+\}/g, '…')
    return show(v, names)
  }
  // A refused request records its HTTP method and path: machine detail, not part of the printed line.
  const skip = e.outcome === 'refused' ? new Set(['method', 'path']) : new Set<string>()
  return DATA_ZH.filter(([k]) => e.data[k] !== undefined && !skip.has(k))
    .map(([k, label]) => `${label}：${value(k)}`)
    .join('；')
}

function factsOf(r: CustodyReport, names: Names): Array<[string, string]> {
  const paper: Paper | null = r.paper
  const rows: Array<[string, string]> = []
  if (paper)
    rows.push(
      ['试卷', `${paper.title}（${KIND_ZH[paper.kind] ?? paper.kind}）`],
      ['试卷状态', STATE_ZH[paper.state] ?? paper.state],
      ['考试场次', names.session(paper.examSessionId) ?? paper.examSessionId],
    )
  if (r.kind === 'packet') {
    const p: Packet | undefined = r.packets[0]
    if (p) {
      rows.push(
        ['试卷袋', packetName(p, names)],
        ['考场', p.roomId === null ? '（不属于考场）' : names(p.roomId)],
        ['试卷编号', `${copyNo(p.copies.first)}–${copyNo(p.copies.last)}（${p.contents.copies} 份）`],
        ['状态', STATE_ZH[p.state] ?? p.state],
        ['封条', p.sealNumber ?? '—'],
        ['保管', show(p.holder, names)],
      )
    }
  } else {
    rows.push(['试卷袋', `${r.packets.length} 个`])
  }
  rows.push(['编制时间', `${cst(r.generatedAt)}（北京时间）`], ['事件数', String(r.events.length)])
  return rows
}

const copyNo = (n: number): string => String(n).padStart(4, '0')
/** A packet as people name it: its room and copy numbers (第一考点 101 · 0001–0032), or a spare's copy numbers. */
function packetName(p: Packet, names: Names): string {
  const copies = `${copyNo(p.copies.first)}–${copyNo(p.copies.last)}`
  return p.roomId === null ? `备用袋 · 试卷编号 ${copies}` : `${names(p.roomId)} · 试卷编号 ${copies}`
}

/** The printed report: facts, the timeline, and the checkpoint it is stamped with. */
export function renderReport(r: CustodyReport, names: Names) {
  const title = r.kind === 'paper' ? '试卷保管记录' : '试卷袋保管记录'
  const heading = r.kind === 'paper' ? (r.paper?.title ?? r.subject.id) : r.packets[0] ? packetName(r.packets[0], names) : r.subject.id
  const format = (e: ReportEvent) => {
    const username = 'user' in e.actor ? names.user(e.actor.user) : null
    const who = 'user' in e.actor ? html`${names(e.actor.user)}${username ? html`<br><span class="muted small">${username}</span>` : ''}` : '系统'
    const cls = [e.outcome === 'refused' ? 'refused' : '', e.action.startsWith('custody.alert.') ? 'alert' : ''].filter(Boolean).join(' ')
    const name = actionName(e.action)
    return html`<tr class="${cls}">
  <td class="idx">${e.index}</td><td class="time">${cst(e.time)}</td><td class="who">${who}</td>
  <td class="act">${name ? name.zh : e.action}${e.outcome === 'refused' ? '（被拒绝）' : ''}${name ? '' : html`<br><span class="mono muted">${e.action}</span>`}</td>
  <td>${summary(e, names)}</td><td class="hash mono">${Buffer.from(e.leafHash, 'base64').toString('hex').slice(0, 16)}</td>
</tr>`
  }
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${heading}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${CUSTODY_REPORT_CSS_PATH}">
</head>
<body class="report-sheet">
<p class="print-hint">请使用浏览器的打印功能（Ctrl+P），A4 纵向。</p>
<article class="report" data-report="${r.kind}" data-subject="${r.subject.id}" data-size="${r.size}">
  <header class="report__head">
    <h1 class="report__title">${title}</h1>
    <p class="report__subtitle">${heading}</p>
  </header>
  <table class="facts">${factsOf(r, names).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>
  <h2>保管过程</h2>
  <table class="timeline">
    <thead><tr><th class="idx">序号</th><th class="time">时间（北京时间）</th><th class="who">操作人</th><th class="act">事项</th><th>内容</th><th class="hash">叶哈希</th></tr></thead>
    <tbody>${r.events.length === 0 ? html`<tr><td class="empty" colspan="6">尚无记录</td></tr>` : r.events.map(format)}</tbody>
  </table>
  <section class="stamp">
    <h2>日志检查点（已签名）</h2>
    <p>以上每条记录均附有对该检查点的包含证明（RFC 9162），检查点由审计日志密钥签名。日志共 ${r.size} 条记录。</p>
    <pre>${r.checkpoint}</pre>
    <p class="muted">核验：下载 JSON 报告（<span class="mono">/api/reports/${r.kind}s/${r.subject.id}</span>），运行
      <span class="mono">npm run verify-log -- --proof REPORT.json --key VKEY</span>（VKEY 见 <span class="mono">/api/log/key</span>）。</p>
  </section>
  <p class="report__foot">本记录由系统根据审计日志生成</p>
</article>
</body>
</html>`
}
