/**
 * The roles of the certification body. A user may hold several, except administrator with custodian
 * (EXCLUSIVE_ROLES); custodian and supervisor are granted or removed only by a two-person role change
 * (TWO_PERSON_ROLES, confirmed by a second administrator or a supervisor), and nobody changes their own
 * roles (decision 005).
 */
export const ROLES = ['admin', 'registrar', 'custodian', 'invigilator', 'examiner', 'verifier', 'supervisor'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  registrar: { zh: '考务人员', en: 'Registrar' },
  custodian: { zh: '试卷保密管理员', en: 'Paper custodian' },
  invigilator: { zh: '监考人员', en: 'Invigilator' },
  examiner: { zh: '考评人员', en: 'Examiner' },
  verifier: { zh: '成绩校对人员', en: 'Score verifier' },
  supervisor: { zh: '督导人员', en: 'Supervisor' },
}

/** Roles whose reach is limited to the rooms and sessions they are assigned to. */
export const SCOPED_ROLES: ReadonlySet<Role> = new Set<Role>(['invigilator', 'examiner'])

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s)
