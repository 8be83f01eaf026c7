// Server-rendered print pages: the A4 admission ticket (准考证, R3.4) and staff badges (R4.3). hono/html
// escapes every value; the only raw markup is the QR code's SVG, made here from the signed text. No
// script and no inline style (the CSP forbids both): the look is kiosk/styles/tickets-print.css.
import { html, raw } from 'hono/html'
import { printDocument } from '../_print-page.ts'
import QRCode from 'qrcode'
import { DUTIES, type Duty } from '../../domain/rooms/index.ts'
import { LEVEL_NAMES, type Level } from '../../domain/registration/index.ts'
import type { SessionInfo } from '../../db/read-models/session-info.ts'
import type { Badge, PrintableTicket } from '../../services/tickets.ts'

export const TICKET_PRINT_CSS_PATH = '/print/tickets.css'

const SUBJECT_KIND: Readonly<Record<string, string>> = { theory: '理论知识考试', practical: '操作技能考核', other: '综合评审' }
const ROOM_KIND: Readonly<Record<string, string>> = { theory: '理论考场', practical: '实操考场', nonstandard: '非标准考场' }

/** 考生须知: what the candidate must know (R3.4), as the ticket prints it. */
export const CANDIDATE_INSTRUCTIONS: readonly string[] = [
  '考生须凭本准考证和本人有效居民身份证原件参加考试，二者缺一不得入场。',
  '请于开考前 30 分钟到达考场，开考 15 分钟后不得入场，开考 30 分钟内不得交卷离场。',
  '按准考证上的考场和座位号就座，并将准考证和身份证放在桌面左上角，以备核查。',
  '除规定的文具外，不得携带书籍、资料、手机等通讯工具和电子设备进入考场。',
  '操作技能考核须按要求穿戴劳动防护用品，服从考评人员安排，遵守安全操作规程。',
  '遵守考场纪律，服从监考人员管理；违纪行为将记入考场记录表并按规定处理。',
  '准考证二维码经本机构数字签名，涂改、复制或冒用无效。请妥善保管本证，查询成绩时需要。',
]

/** "操作技能考核", or "操作技能考核：钳工实操" when the subject's own name says more. */
function subjectLine(s: SessionInfo): string {
  const kind = SUBJECT_KIND[s.subjectKind] ?? s.subjectKind
  return !s.subjectName || kind.includes(s.subjectName) ? kind : `${kind}：${s.subjectName}`
}

/** CST wall-clock parts of an instant (China has no daylight saving time). */
function cst(ms: number): { date: string; time: string } {
  const d = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return { date: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`, time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` }
}

const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 })

const page = (title: string, body: unknown): Promise<string> =>
  printDocument({
    title,
    css: TICKET_PRINT_CSS_PATH,
    bodyClass: 'print-sheet',
    hint: { zh: '请使用浏览器的打印功能（Ctrl+P），A4 纵向，每张一页。', en: 'Print with the browser (Ctrl+P): A4 portrait, one per page.' },
    body,
  })

function ticketArticle(t: PrintableTicket, qr: string) {
  const start = cst(t.session.startsAt),
    end = cst(t.session.endsAt)
  const level = LEVEL_NAMES[t.session.level as Level] ?? String(t.session.level)
  const photoUrl = `/api/tickets/${encodeURIComponent(t.ticket.number)}/photo`
  const rows: Array<[string, string, string?]> = [
    ['准考证号', t.ticket.number, 'mono'],
    ['姓　　名', t.holder.name],
    ['身份证号', t.holder.residentId, 'mono'],
    ['职业（工种）', t.session.occupationName],
    ['等　　级', level],
    ['考试科目', subjectLine(t.session)],
    ['考试日期', start.date],
    ['考试时间', `${start.time}–${end.time}`],
    ['考　　点', t.site ? t.site.name : ''],
    ['考点地址', t.site ? t.site.address : ''],
    ['考　　场', `${t.room.name}（${ROOM_KIND[t.room.kind] ?? t.room.kind}）`],
    ['座 位 号', String(t.ticket.seat), 'seat'],
  ]
  return html`<article class="ticket" data-ticket="${t.ticket.number}">
  <header class="ticket__head">
    <p class="ticket__body">${t.body}</p>
    <h1 class="ticket__title">职业技能等级认定<br>准考证</h1>
    <p class="ticket__batch">${t.session.batchTitle}</p>
  </header>
  <div class="ticket__main">
    <table class="ticket__fields">
      <tbody>
        ${rows.map(([k, v, cls]) => html`<tr><th scope="row">${k}</th><td${cls ? raw(` class="${cls}"`) : ''}>${v}</td></tr>`)}
      </tbody>
    </table>
    <div class="ticket__side">
      <figure class="ticket__photo">
        ${t.holder.hasPhoto ? html`<img src="${photoUrl}" alt="考生照片">` : html`<span class="ticket__photo-missing">照片</span>`}
        <span class="ticket__seal" aria-hidden="true">评价机构<br>盖章处</span>
      </figure>
      <figure class="ticket__qr">
        ${raw(qr)}
        <figcaption>入场扫码核验</figcaption>
      </figure>
    </div>
  </div>
  <section class="ticket__rules">
    <h2>考生须知</h2>
    <ol>${CANDIDATE_INSTRUCTIONS.map((line) => html`<li>${line}</li>`)}</ol>
  </section>
  <footer class="ticket__foot">本准考证由${t.body}签发，二维码含本机构数字签名（Ed25519），可离线核验。</footer>
</article>`
}

/** The A4 pages of these tickets, one per page (the batch print of a session is the same page with many). */
export async function renderTickets(tickets: readonly PrintableTicket[], title: string): Promise<string> {
  const qrs = await Promise.all(tickets.map((t) => qrSvg(t.ticket.payload)))
  const body =
    tickets.length === 0
      ? html`<p class="print-empty">没有可打印的准考证。<span lang="en">No tickets to print.</span></p>`
      : tickets.map((t, i) => ticketArticle(t, qrs[i]!))
  return page(title, body)
}

/** Staff badges (R4.3): name, duty, room, session, and a QR signed with the ticket key (type badge). */
export async function renderBadges(badges: readonly Badge[], session: SessionInfo): Promise<string> {
  const qrs = await Promise.all(badges.map((b) => qrSvg(b.text)))
  const when = cst(session.startsAt)
  const cards = badges.map(
    (b, i) => html`<article class="badge" data-assignment="${b.assignment.id}">
    <p class="badge__session">${session.occupationName} · ${SUBJECT_KIND[session.subjectKind] ?? session.subjectKind} · ${when.date}</p>
    <p class="badge__duty">${DUTIES[b.assignment.duty as Duty].zh}</p>
    <p class="badge__name">${b.user.displayName}</p>
    <p class="badge__room">${b.room ? b.room.name : '全场次'}</p>
    <figure class="badge__qr">${raw(qrs[i]!)}</figure>
    <p class="badge__valid">有效期至 ${cst(b.payload.validUntil).date} ${cst(b.payload.validUntil).time}</p>
  </article>`,
  )
  const body =
    badges.length === 0
      ? html`<p class="print-empty">本场次尚未分配工作人员。<span lang="en">No staff assigned to this session.</span></p>`
      : html`<div class="badges">${cards}</div>`
  return page('工作人员证件', body)
}
