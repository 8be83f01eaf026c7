import type { OpenAPIHono } from '@hono/zod-openapi'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import type { AppEnv } from './_context.ts'
import { fail } from './_route.ts'
import { publicView } from './batches/index.ts'

const CSS_PATH = fileURLToPath(new URL('../../kiosk/styles/announcement.css', import.meta.url))
const NO_CACHE = { 'Cache-Control': 'no-cache' }
const KIND = { theory: '理论知识考试', practical: '操作技能考核', other: '综合评审' } as const

const esc = (s: string): string => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

/** '2026-11-26 09:00' in China Standard Time (UTC+8, no daylight saving since 1991). */
function cst(isoTime: string): string {
  const s = new Date(Date.parse(isoTime) + 8 * 3600_000).toISOString()
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`
}
/** '2026年11月26日' */
const zhDate = (d: string): string => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`

/** The announcement (公告, R2.3) as a printable A4 page, public like the notice it is. */
export function announcementPage(app: OpenAPIHono<AppEnv>): void {
  app.get('/announcements/print.css', (c) => c.body(readFileSync(CSS_PATH, 'utf8'), 200, { 'Content-Type': 'text/css; charset=utf-8', ...NO_CACHE }))

  app.get('/announcements/:id', (c) => {
    const a = publicView(c, c.req.param('id'))
    if (!a) return fail(c, 'announcement.not_found')
    const sites = c.var.services.lifecycle.batches
    const rows = a.sessions
      .map((s) => {
        const site = s.siteId ? sites.siteName(s.siteId) : null
        const end = cst(s.endsAt)
        const start = cst(s.startsAt)
        const when = start.slice(0, 10) === end.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start} – ${end}`
        return `<tr><td>${esc(s.subject)}</td><td>${KIND[s.kind as keyof typeof KIND] ?? esc(s.kind)}</td><td class="nowrap">${esc(when)}</td><td>${esc(site ?? a.place ?? '')}</td></tr>`
      })
      .join('\n')
    const changes =
      a.changes.length === 0
        ? ''
        : `
<h2>七、变更说明 <span class="en">Changes</span></h2>
<p>本次认定考试的场地或时间已经市职鉴中心核准变更，以上所列为变更后的安排：${a.changes.map((ch) => `${esc(zhDate(cst(ch.at).slice(0, 10)))}（核准文号：${esc(ch.approvalReference)}）`).join('；')}。</p>`
    // The recorded dates are the server's (decision 007); a date a document gives stands beside them, named as such.
    const published = `发布日期：${esc(zhDate(a.publishedOn))}${
      a.publishedOnDocumented ? `（文件所载发布日期 ${esc(zhDate(a.publishedOnDocumented.date))}，文号：${esc(a.publishedOnDocumented.reference)}）` : ''
    }`
    const filed = a.filedOn
      ? `本公告的认定计划已于${esc(zhDate(a.filedOn))}登记报备市职业技能鉴定指导中心${
          a.filedOnDocumented ? `（文件所载报备日期 ${esc(zhDate(a.filedOnDocumented.date))}，文号：${esc(a.filedOnDocumented.reference)}）` : ''
        }。`
      : '本公告的认定计划已按规定报备市职业技能鉴定指导中心。'
    const title = `${a.title} 职业技能等级认定公告`
    const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/announcements/print.css">
</head>
<body>
<div class="toolbar"><span>公告 Announcement · 打印请使用浏览器的“打印”（A4） · Print with the browser's Print command (A4)</span><a href="/api/announcements/${esc(a.id)}">JSON</a></div>
<main class="sheet">
<h1>${esc(a.occupation.name)}（${esc(a.levelName)}）<br>职业技能等级认定公告</h1>
<p class="subtitle">${esc(a.title)} · ${published}</p>
<p>根据职业技能等级认定工作有关规定，本评价机构拟组织开展以下职业（工种）的职业技能等级认定，现将有关事项公告如下。</p>

<h2>一、认定职业（工种）及等级 <span class="en">Occupation and level</span></h2>
<dl class="facts"><dt>职业（工种）</dt><dd>${esc(a.occupation.name)}（职业编码 ${esc(a.occupation.code)}）</dd><dt>等级</dt><dd>${esc(a.levelName)}</dd></dl>

<h2>二、认定内容、方式和方法 <span class="en">Content and method</span></h2>
<p class="pre">${esc(a.content.contentAndMethod)}</p>

<h2>三、报名地点、时限和手续 <span class="en">Registration</span></h2>
<dl class="facts">
<dt>报名地点</dt><dd>${esc(a.content.registration.place)}</dd>
<dt>报名截止</dt><dd>${esc(zhDate(a.content.registration.until))}</dd>
<dt>报名手续</dt><dd class="pre">${esc(a.content.registration.how)}</dd>
</dl>

<h2>四、申报条件 <span class="en">Conditions</span></h2>
<p class="pre">${esc(a.content.conditions)}</p>

<h2>五、收费项目和收费标准 <span class="en">Fees</span></h2>
<p class="pre">${esc(a.content.fees)}</p>

<h2>六、考试科目、时间和地点 <span class="en">Subjects, times and places</span></h2>
<p class="plain">考试日期：${esc(zhDate(a.examStartDate))}${a.examEndDate !== a.examStartDate ? ` 至 ${esc(zhDate(a.examEndDate))}` : ''}；考试地点：${esc(a.place ?? '另行通知')}</p>
<table>
<thead><tr><th>科目</th><th>方式</th><th>时间（北京时间）</th><th>地点</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${changes}
<div class="signature"><p>职业技能等级评价机构</p><p>${esc(zhDate(a.publishedOn))}</p></div>
<div class="note"><p>考生凭准考证和本人有效身份证件参加考试。${filed}</p></div>
</main>
</body>
</html>`
    return c.html(html, 200, NO_CACHE)
  })
}
