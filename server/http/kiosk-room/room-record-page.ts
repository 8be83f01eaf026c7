// The room record (考场记录表, R6.3) as a printable A4 page: session, room, staff, the attendance register,
// the seating plan and every incident with its kind (and the article of MOE Order No. 33), times, description,
// seized items, confirmations and refusals. hono/html escapes every value; no script and no inline style (the
// CSP forbids both): the look is kiosk/styles/room-record-print.css.
import { printDocument } from '../_print-page.ts'
import { html } from 'hono/html'
import { DUTIES, type Duty } from '../../domain/rooms/index.ts'
import { GROUP_NAMES, type IncidentGroup, incidentKind } from '../../domain/kiosk/index.ts'
import type { RoomRecordSheet } from '../../services/kiosk-room.ts'

export const ROOM_RECORD_CSS_PATH = '/print/room-record.css'

const p2 = (n: number) => String(n).padStart(2, '0')
/** CST wall-clock parts (China has no daylight saving time). */
function cst(ms: number): { date: string; time: string } {
  const d = new Date(ms + 8 * 3600_000)
  return { date: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`, time: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}` }
}
const time = (ms: number | null) => (ms === null ? '—' : cst(ms).time)

const STATE = { present: '到考', late: '迟到', absent: '缺考' } as const
const OVERRIDE: Readonly<Record<string, string>> = { id_forgotten: '未带身份证', supervisor_word: '督导确认', other: '其他' }

/** The room record page. */
export async function renderRoomRecord(r: RoomRecordSheet): Promise<string> {
  const s = r.session
  const name = (id: string) => r.people.get(id) ?? id
  const candidate = new Map(r.attendance.map((a) => [a.candidateId, a]))
  const counts = { present: 0, late: 0, absent: 0 }
  for (const a of r.attendance) counts[a.state]++
  const moved = r.finishesAt !== s.endsAt
  const body = html`<article class="record" data-session="${s.id}" data-room="${r.room.id}">
  <header class="record__head">
    <h1>考场记录表</h1>
    <p class="record__sub">${s.batchTitle}</p>
    <table class="record__fields"><tbody>
      <tr><th>职业（工种）</th><td>${s.occupationName}</td><th>考试科目</th><td>${s.subjectName}</td></tr>
      <tr><th>考　　点</th><td>${r.site?.name ?? ''}</td><th>考　　场</th><td>${r.room.name}</td></tr>
      <tr><th>考试日期</th><td>${cst(s.startsAt).date}</td><th>考试时间</th>
        <td>${cst(s.startsAt).time}–${cst(s.endsAt).time}${moved ? html`（疏散后延至 <span data-finish>${cst(r.finishesAt).time}</span>）` : ''}</td></tr>
      <tr><th>监考人员</th><td colspan="3">${r.staff.map((x) => html`<span class="record__person">${x.displayName}（${DUTIES[x.duty as Duty]?.zh ?? x.duty}）</span>`)}</td></tr>
    </tbody></table>
  </header>

  <section class="record__block">
    <h2>考生签到表 <small>应到 ${r.attendance.length} 人，实到 ${counts.present + counts.late} 人（迟到 ${counts.late}），缺考 ${counts.absent} 人</small></h2>
    <table class="record__table record__attendance"><thead>
      <tr><th>座位号</th><th>准考证号</th><th>姓名</th><th>状态</th><th>入场时间</th><th>备注</th></tr>
    </thead><tbody>
      ${r.attendance.map(
        (
          a,
        ) => html`<tr data-candidate="${a.candidateId}" data-state="${a.state}"><td>${a.seat}</td><td class="mono">${a.ticketNumber ?? ''}</td><td>${a.name}</td>
          <td>${STATE[a.state]}</td><td>${time(a.at)}</td><td>${a.override ? `人工放行：${OVERRIDE[a.override] ?? a.override}` : ''}</td></tr>`,
      )}
    </tbody></table>
  </section>

  <section class="record__block">
    <h2>座位图</h2>
    <ol class="record__seats">
      ${r.attendance.map((a) => html`<li class="seat seat--${a.state}"><b>${a.seat}</b> ${a.name}</li>`)}
    </ol>
  </section>

  <section class="record__block">
    <h2>考场情况记录 <small>违纪、作弊依《国家教育考试违规处理办法》（教育部令第33号）第五条、第六条认定，须两名监考员签字（第十八条）</small></h2>
    ${
      r.incidents.length === 0
        ? html`<p class="record__none">本场次本考场无异常情况。</p>`
        : html`<table class="record__table record__incidents"><thead>
      <tr><th>时间</th><th>考生</th><th>类别</th><th>情况说明</th><th>暂扣物品</th><th>签字确认</th></tr>
    </thead><tbody>
      ${r.incidents.map((i) => {
        const spec = incidentKind(i.kind)
        const who = i.candidateId ? candidate.get(i.candidateId) : undefined
        const cite = spec?.cite ? `第${spec.cite.article === 5 ? '五' : '六'}条第（${'一二三四五六七八九'[spec.cite.item - 1]}）项` : ''
        return html`<tr data-incident="${i.id}" data-kind="${i.kind}" data-status="${i.status}">
        <td>${time(i.at)}${i.kind === 'evacuation' ? html`<br><small>暂停 ${time(i.stoppedAt)} 恢复 ${time(i.restartedAt)}</small>` : ''}</td>
        <td>${who ? html`${who.name}<br><small class="mono">${who.ticketNumber ?? ''} · ${who.seat}号</small>` : '—'}</td>
        <td>${GROUP_NAMES[(spec?.group ?? 'event') as IncidentGroup].zh}：${spec?.zh ?? i.kind}${cite ? html`<br><small>${cite}</small>` : ''}</td>
        <td>${i.description}${i.photo ? html`<br><small>（附照片）</small>` : ''}</td>
        <td>${i.seized.length ? html`${i.seized.map((x) => `${x.item} ×${x.count}`).join('，')}<br><small>收据 ${i.receiptNumber ?? ''}</small>` : '—'}</td>
        <td>记录：${name(i.recordedBy)}<br>${
          i.status === 'recorded'
            ? ''
            : i.second
              ? html`确认：${name(i.second.userId)}${i.second.check === 'offline' ? '（离线核验）' : ''}`
              : html`<b>待第二名监考员确认</b>`
        }${i.candidateRefused ? html`<br><b>考生拒绝签字</b>（${name(i.candidateRefused.userId)} 记录）` : ''}</td>
      </tr>`
      })}
    </tbody></table>`
    }
  </section>

  <footer class="record__sign">
    <p>监考人员签字：________________　________________　　考生签字（违纪、作弊）：________________</p>
    <p class="record__printed">本表由系统依门口平板记录生成；每条记录均写入审计日志，可离线核验。</p>
  </footer>
</article>`
  return printDocument({
    title: `考场记录表 · ${r.room.name}`,
    css: ROOM_RECORD_CSS_PATH,
    bodyClass: 'print-sheet',
    hint: { zh: '请使用浏览器的打印功能（Ctrl+P），A4 纵向。', en: 'Print with the browser (Ctrl+P): A4 portrait.' },
    body,
  })
}
