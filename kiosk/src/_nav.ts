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
    href: '/admin/users', roles: ['admin'],
    title: T('用户管理', 'User accounts'),
    summary: T('创建账号、分配角色、停用账号或重设密码', 'Create accounts, assign roles, disable accounts or reset passwords'),
  },
  {
    href: '/registrar', roles: ['registrar', 'admin'],
    title: T('认定批次', 'Certification batches'),
    summary: T('认定计划报备、公告、报名（现场或批量导入）、资格审核与缴费登记', 'Plans and filing, announcements, registration (desk or CSV import), review and fees'),
  },
  {
    href: '/log', roles: ['supervisor', 'admin'],
    title: T('审计日志', 'Custody log'),
    summary: T('查看每一项已记录的操作，并在本机浏览器中验证签名与包含证明', 'Every recorded action, with the signature and inclusion proofs checked in this browser'),
  },
  {
    href: '/api/docs', roles: ['admin'],
    title: T('接口文档', 'API reference'),
    summary: T('供系统对接使用的 HTTP 接口说明', 'The HTTP interface, for connecting other systems'),
  },
]

/** The features any of these roles may use, in table order. */
export const featuresFor = (roles: readonly Role[]): Feature[] => FEATURES.filter((f) => f.roles.some((r) => roles.includes(r)))
