// What each role can open. One table: the home page's tiles and the top bar's links both come from it,
// so a new page is one row here (and only pages that exist are listed).
import type { Role } from '../../server/domain/accounts/index.ts'
import { T, type Text } from './_i18n.ts'

export interface Feature {
  href: string
  roles: readonly Role[]
  title: Text
  summary: Text
}

export const FEATURES: readonly Feature[] = [
  {
    href: '/admin/users',
    roles: ['admin'],
    title: T('用户管理', 'User accounts'),
    summary: T('创建账号、分配角色、停用账号或重设密码', 'Create accounts, assign roles, disable accounts or reset passwords'),
  },
  {
    href: '/admin/keys',
    roles: ['admin'],
    title: T('密钥管理', 'Keys'),
    summary: T('审计日志签名密钥、试卷密钥（密钥仪式）和准考证密钥', 'The log signing key, the paper key (key ceremonies) and the ticket key'),
  },
  {
    href: '/admin/kiosks',
    roles: ['admin', 'supervisor'],
    title: T('考场门口平板', 'Door tablets'),
    summary: T(
      '为考点登记门口平板（一次性登记码）、查看平板状态、吊销丢失的平板',
      'Enrol door tablets for a site (single-use code), see their state, revoke a lost one',
    ),
  },
  {
    href: '/registrar',
    roles: ['registrar', 'admin'],
    title: T('认定批次', 'Certification batches'),
    summary: T(
      '认定计划报备、公告、报名（现场或批量导入）、资格审核与缴费登记',
      'Plans and filing, announcements, registration (desk or CSV import), review and fees',
    ),
  },
  {
    href: '/rooms',
    roles: ['registrar', 'admin', 'supervisor', 'invigilator', 'examiner'],
    title: T('考场与考前准备', 'Rooms and preparation'),
    summary: T(
      '考点与考场、座位编排、工作人员分配与考前检查；监考和考评人员只看本人负责的考场',
      'Sites and rooms, seating, staff and the pre-exam inspection; invigilators and examiners see their own rooms',
    ),
  },
  {
    href: '/tickets',
    roles: ['registrar', 'admin', 'supervisor'],
    title: T('准考证', 'Admission tickets'),
    summary: T('为已缴费并编排座位的考生发放、打印、作废准考证，核验二维码', 'Issue, print and revoke tickets for paid, seated candidates; check a QR code'),
  },
  {
    href: '/custody',
    roles: ['custodian', 'invigilator'],
    title: T('试卷保密', 'Paper custody'),
    summary: T(
      '试卷加密上传、双人审批印制、封袋与交接、扫码查看试卷袋、考场启封与回收清点',
      'Encrypted papers, two-person printing, sealing and handovers, packet scanning, opening and counting in the room',
    ),
  },
  {
    href: '/custody/keys',
    roles: ['custodian'],
    title: T('密钥份额', 'Key shares'),
    summary: T(
      '试卷主密钥由保密员分持：设定自己的份额口令，参与密钥仪式',
      'The paper key is split among custodians: set your own share passphrase, take part in key ceremonies',
    ),
  },
  {
    href: '/kiosk',
    roles: ['invigilator', 'examiner'],
    title: T('考场门口核验', 'Room door'),
    summary: T(
      '平板电脑上的考场终端：入场核验（准考证二维码与身份证）、违纪与事件、试卷袋启封、实操评分与考勤，断网可用',
      'The room tablet: entry checks (ticket QR and ID card), incidents, packet opening, practical scores and attendance; works offline',
    ),
  },
  {
    href: '/supervisor',
    roles: ['supervisor', 'admin'],
    title: T('保密督导', 'Custody oversight'),
    summary: T(
      '保密告警、泄密报告与暴露追踪、停考或启用 B 卷的决定、按份号追踪、保管报告',
      'Custody alerts, leak reports and exposure traces, suspending or switching to paper B, copy tracing, custody reports',
    ),
  },
  {
    href: '/supervisor/live',
    roles: ['supervisor', 'admin'],
    title: T('考场实况', 'Rooms live'),
    summary: T(
      '各考场入场人数、人工放行、考场情况记录、冲突与试卷袋状态，实时更新',
      'Per room: admitted, overrides, incidents, conflicts and packet states, updated live',
    ),
  },
  {
    href: '/scores',
    roles: ['registrar', 'verifier', 'supervisor'],
    title: T('成绩录入与校对', 'Scores'),
    summary: T(
      '导入理论成绩、汇总实操评分表，成绩校对人双人录入或对照签名评分表校对并签字，查看考生成绩结果',
      "Import theory scores, collect practical sheets; the verifier keys a second entry or checks the signed sheets and signs; each candidate's results",
    ),
  },
  {
    href: '/registrar/results',
    roles: ['registrar', 'verifier', 'supervisor'],
    title: T('成绩公示与核查', 'Results and reviews'),
    summary: T(
      '按工作日历公示成绩、到期撤下；登记考生核查申请并办理，核查结论由第二人复核',
      'Publish results on the working-day calendar and take them down; record and handle review requests, checked by a second person',
    ),
  },
  {
    href: '/certificates',
    roles: ['registrar', 'supervisor', 'admin'],
    title: T('职业技能等级证书', 'Certificates'),
    summary: T(
      '逐人核对发证条件、登记审核批复文号、颁发电子证书并打印，遗失补发须第二人审批',
      'Check each condition, record the approval, issue and print signed certificates; a reissue needs a second person',
    ),
  },
  {
    href: '/statistics',
    roles: ['admin', 'supervisor', 'registrar'],
    title: T('年度统计', 'Yearly statistics'),
    summary: T(
      '按职业和等级的年度综合统计表、统计分析报告与图表，可导出 CSV、打印 A4',
      'The yearly table per occupation and level, the summary report and charts; CSV export and A4 printing',
    ),
  },
  {
    href: '/log',
    roles: ['supervisor', 'admin'],
    title: T('审计日志', 'Custody log'),
    summary: T(
      '查看每一项已记录的操作，并在本机浏览器中验证签名与包含证明',
      'Every recorded action, with the signature and inclusion proofs checked in this browser',
    ),
  },
  {
    href: '/api/docs',
    roles: ['admin'],
    title: T('接口文档', 'API reference'),
    summary: T('供系统对接使用的 HTTP 接口说明', 'The HTTP interface, for connecting other systems'),
  },
]

/** The features any of these roles may use, in table order. */
export const featuresFor = (roles: readonly Role[]): Feature[] => FEATURES.filter((f) => f.roles.some((r) => roles.includes(r)))
