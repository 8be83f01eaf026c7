// The printable packet label (试卷袋标签, R5.2): what is inside, for which room, the copy numbers, a box
// for the seal number and the signatures, and a QR code the custody console scans ("CUSTODY-PACKET:<id>").
// hono/html escapes every value; the QR is an SVG made here and embedded as a data: image (the CSP allows
// data: images, no inline style or script). The look is kiosk/styles/packet-label.css: A6, or four per A4.
import { printDocument } from '../_print-page.ts'
import { html } from 'hono/html'
import QRCode from 'qrcode'
import { LEVEL_NAMES, type Level } from '../../domain/registration/index.ts'
import type { PaperKind } from '../../domain/custody/index.ts'
import type { PacketLabel } from '../../services/papers.ts'

export const PACKET_LABEL_CSS_PATH = '/print/packet-label.css'
/** The text of a packet's QR code; the console reads the id back out of it. */
export const PACKET_QR_PREFIX = 'CUSTODY-PACKET:'

export const PAPER_KIND_NAMES: Readonly<Record<PaperKind, { zh: string; en: string }>> = {
  paper_a: { zh: 'A 卷', en: 'Paper A' },
  paper_b: { zh: 'B 卷（备用卷）', en: 'Paper B (reserve)' },
  answer_key: { zh: '参考答案及评分标准', en: 'Answer key and marking scheme' },
  practical_tasks: { zh: '操作技能考核试题', en: 'Practical tasks' },
  exam_data: { zh: '考试数据', en: 'Exam data' },
}
const SUBJECT_KIND: Readonly<Record<string, string>> = { theory: '理论知识考试', practical: '操作技能考核', other: '综合评审' }

export type LabelSize = 'a6' | 'a4'

/** CST wall clock of an instant (China has no daylight saving time). */
function cst(ms: number): string {
  const d = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}

const copyNo = (n: number) => String(n).padStart(4, '0')

async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`
}

function labelArticle(l: PacketLabel, qr: string) {
  const { packet, paper, session, room, site } = l
  const kind = PAPER_KIND_NAMES[paper.kind]
  const level = session ? (LEVEL_NAMES[session.level as Level] ?? String(session.level)) : ''
  const subject = session ? (SUBJECT_KIND[session.subjectKind] ?? session.subjectKind) : ''
  const c = packet.contents
  const rows: Array<[string, string]> = [
    ['试　　卷', `${paper.title}（${kind.zh}）`],
    ['职业等级', session ? `${session.occupationName} ${level}` : ''],
    ['科　　目', subject],
    ['考试时间', session ? cst(session.startsAt) : ''],
    ['考　　点', site ? site.name : ''],
    ['考　　场', room ? room.name : '不属于考场（保密室保管）'],
    ['试卷编号', `${copyNo(packet.copies.first)} – ${copyNo(packet.copies.last)}`],
    ['袋内材料', `试卷 ${c.copies} 份${c.answerSheets ? `，答题卡 ${c.answerSheets} 张` : ''}${c.scratchPaper ? `，草稿纸 ${c.scratchPaper} 张` : ''}`],
    ['印　　制', `${l.printedBy ? l.printedBy.displayName : packet.printedBy}　${cst(packet.printedAt)}`],
  ]
  return html`<article class="label" data-packet="${packet.id}">
  <header class="label__head">
    <p class="label__secret">绝密★启用前</p>
    <h1 class="label__title">试卷袋</h1>
    <p class="label__batch">${session ? session.batchTitle : ''}</p>
  </header>
  <div class="label__main">
    <table class="label__fields">
      <tbody>
        ${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}
      </tbody>
    </table>
    <figure class="label__qr">
      <img src="${qr}" alt="${PACKET_QR_PREFIX}${packet.id}">
      <figcaption class="mono">${packet.id.slice(0, 8)}</figcaption>
    </figure>
  </div>
  <div class="label__seal">
    <span class="label__seal-name">封条编号</span>
    <span class="label__seal-box mono">${packet.sealNumber ?? ''}</span>
  </div>
  <div class="label__signs">
    <span>封装人：</span><span>见证人：</span><span>日期：</span>
  </div>
  <footer class="label__foot">启封须由本考场两名监考员共同核对封条后进行。<span lang="en">Open only with two invigilators of the room, seal checked.</span></footer>
</article>`
}

/** The labels as one printable page: one per A6 sheet, or four per A4 sheet. */
export async function renderLabels(labels: readonly PacketLabel[], title: string, size: LabelSize = 'a6'): Promise<string> {
  const qrs = await Promise.all(labels.map((l) => qrDataUrl(`${PACKET_QR_PREFIX}${l.packet.id}`)))
  const articles = labels.map((l, i) => labelArticle(l, qrs[i]!))
  const sheets =
    size === 'a6'
      ? articles.map((a) => html`<section class="sheet sheet--a6">${a}</section>`)
      : Array.from({ length: Math.ceil(articles.length / 4) }, (_, s) => html`<section class="sheet sheet--a4">${articles.slice(s * 4, s * 4 + 4)}</section>`)
  const body = labels.length === 0 ? html`<p class="print-empty">没有可打印的标签。<span lang="en">No labels to print.</span></p>` : sheets
  return printDocument({
    title,
    css: PACKET_LABEL_CSS_PATH,
    bodyClass: `labels labels--${size}`,
    hint:
      size === 'a6'
        ? { zh: '请使用浏览器的打印功能（Ctrl+P），A6 纸，每张一个标签，不缩放。', en: 'Print with the browser (Ctrl+P): A6, one label per sheet, no scaling.' }
        : {
            zh: '请使用浏览器的打印功能（Ctrl+P），A4 纸，每张四个标签，不缩放。',
            en: 'Print with the browser (Ctrl+P): A4, four labels per sheet, no scaling.',
          },
    body,
  })
}
