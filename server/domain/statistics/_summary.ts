import { formatRate } from './_aggregate.ts'
import type { YearTable } from './_types.ts'

/** The numbers of the summary report (统计分析报告) of one year, and its text in both languages. */
export interface YearSummary {
  year: number
  batches: number
  occupations: number
  /** Occupation-and-level rows. */
  categories: number
  registered: number
  approved: number
  paid: number
  sat: number
  passed: number
  passRate: number | null
  certified: number
  incidents: number
  leaks: number
  unpublished: number
  text: { zh: string; en: string }
}

const LEVEL_ZH = ['', '一级', '二级', '三级', '四级', '五级']

/** Chinese level name: 5 → 五级 (初级工) … 1 → 一级 (高级技师). */
export const levelName = (level: number): string => LEVEL_ZH[level] ?? `${level}级`

/** The summary report of a year's table: a few sentences a person can paste into the annual report. */
export function yearSummary(t: YearTable): YearSummary {
  const s = t.totals
  const rate = formatRate(s.passRate)
  const zh: string[] = []
  const en: string[] = []
  if (s.batches === 0) {
    zh.push(`${t.year} 年没有认定批次。`)
    en.push(`There were no certification batches in ${t.year}.`)
  } else {
    zh.push(
      `${t.year} 年共组织认定批次 ${s.batches} 个，涉及 ${t.occupations} 个职业（工种）、${t.rows.length} 个职业等级；` +
        `报名 ${s.registered} 人次，审核通过 ${s.approved} 人，缴费 ${s.paid} 人，实际参加考核 ${s.sat} 人。`,
    )
    en.push(
      `In ${t.year} the body ran ${s.batches} certification batch${s.batches === 1 ? '' : 'es'} in ${t.occupations} occupation${t.occupations === 1 ? '' : 's'} ` +
        `(${t.rows.length} occupation level${t.rows.length === 1 ? '' : 's'}): ${s.registered} registered, ${s.approved} approved, ${s.paid} paid, ${s.sat} sat.`,
    )
    zh.push(`考核合格 ${s.passed} 人，合格率 ${rate}（合格人数 ÷ 已公布成绩批次的实考人数）；颁发证书 ${s.certified} 本。`)
    en.push(
      `${s.passed} passed, a pass rate of ${rate} (passed ÷ sat in batches with published results); ${s.certified} certificate${s.certified === 1 ? '' : 's'} issued.`,
    )
    if (s.unpublished > 0) {
      zh.push(`另有 ${s.unpublished} 个批次成绩尚未公布，未计入合格率。`)
      en.push(
        `${s.unpublished} batch${s.unpublished === 1 ? '' : 'es'} had no published results yet and ${s.unpublished === 1 ? 'is' : 'are'} not in the pass rate.`,
      )
    }
    zh.push(`考场记录违纪及突发事件 ${s.incidents} 起，经确认的试卷泄密 ${s.leaks} 起。`)
    en.push(`${s.incidents} incident${s.incidents === 1 ? '' : 's'} recorded in exam rooms; ${s.leaks} confirmed paper leak${s.leaks === 1 ? '' : 's'}.`)
  }
  return {
    year: t.year,
    batches: s.batches,
    occupations: t.occupations,
    categories: t.rows.length,
    registered: s.registered,
    approved: s.approved,
    paid: s.paid,
    sat: s.sat,
    passed: s.passed,
    passRate: s.passRate,
    certified: s.certified,
    incidents: s.incidents,
    leaks: s.leaks,
    unpublished: s.unpublished,
    text: { zh: zh.join(''), en: en.join(' ') },
  }
}
