// The door drill sheet (demo only): server-rendered like the ticket print pages (hono/html escapes every value; the
// only raw markup is each QR code's SVG, made here from the sample's text). Look: kiosk/styles/tickets-print.css.
import { html, raw } from 'hono/html'
import { printDocument } from '../_print-page.ts'
import QRCode from 'qrcode'
import type { DrillSheet } from '../../services/door-drill.ts'
import { TICKET_PRINT_CSS_PATH } from '../tickets/print-page.ts'

const VERDICT_NAMES: Readonly<Record<string, string>> = {
  admitted: '准许入场',
  already_admitted: '已入场',
  revoked: '准考证已作废',
  wrong_room: '走错考场',
  wrong_session: '非本场次',
  forged: '伪造 / 签名无效',
  malformed: '无法识别',
}

const cst = (ms: number): string => {
  const d = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}

export async function renderDrillSheet(sheet: DrillSheet): Promise<string> {
  const cards = await Promise.all(
    sheet.samples.map(async (s, i) => {
      const svg = await QRCode.toString(s.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      return html`<article class="drill-card" data-expect="${s.expect}">
  <div class="drill-card__qr">${raw(svg)}</div>
  <div class="drill-card__text">
    <p class="drill-card__no">样例 ${i + 1} · <span lang="en">Sample ${i + 1}</span></p>
    <p class="drill-card__expect">应判：<strong>${VERDICT_NAMES[s.expect] ?? s.expect}</strong> <code>${s.expect}</code></p>
    <p>${s.note.zh}<span lang="en">${s.note.en}</span></p>
    ${s.ticketNumber ? html`<p>准考证号 <span class="mono">${s.ticketNumber}</span></p>` : ''}
    ${s.holder ? html`<p>${s.holder.name} · ${s.holder.seat} 号座 · 身份证号 <span class="mono">${s.holder.residentId}</span></p>` : ''}
  </div>
</article>`
    }),
  )
  return printDocument({
    title: `考场门口核验演练 · ${sheet.room.name}`,
    css: TICKET_PRINT_CSS_PATH,
    bodyClass: 'print-sheet',
    hint: {
      zh: '演练用样例（演示数据，人员均为虚构）。用考场门口核验页面（/kiosk）逐个扫描，核对应判结果。',
      en: 'Drill samples (demo data, fictional people). Scan each one at /kiosk and compare the verdict.',
    },
    body: html`<section class="drill-sheet">
<h1>考场门口核验演练 <span lang="en">Door drill</span></h1>
<p>${sheet.session.batchTitle} · ${sheet.room.name} 考场 · 开考 ${cst(sheet.session.startsAt)}（北京时间）</p>
${cards}
</section>`,
  })
}
