import type { ErrorEntry } from './_errors.ts'

/** Refusals of separation of duties, passwords and login capacity (decision 005). */
export type AccountsErrorCode =
  | 'user.roles_conflict'
  | 'user.cannot_change_own_roles'
  | 'user.role_change_needs_second_person'
  | 'user.own_password_via_reset'
  | 'user.current_password_wrong'
  | 'user.password_unchanged'
  | 'role_change.not_found'
  | 'role_change.not_pending'
  | 'role_change.already_pending'
  | 'role_change.no_change'
  | 'role_change.same_person'
  | 'role_change.own_account'
  | 'role_change.stale'
  | 'role_change.holder_absent'
  | 'role_change.holder_password_not_own'
  | 'role_change.holder_check_failed'
  | 'auth.busy'
  | 'auth.password_change_required'

export const ACCOUNTS_ERRORS: Record<AccountsErrorCode, ErrorEntry> = {
  'user.roles_conflict': {
    status: 409,
    zh: '职责分离：系统管理员、督导人员不能兼任试卷保密管理员或监考人员（他们可查阅全部日志与封条编号；管理员兼保密员可一人批准解密；督导检查的正是保密员和监考员）',
    en: 'Separation of duties: an administrator or a supervisor cannot also be a paper custodian or an invigilator (they read the whole log and every seal number; an administrator-custodian could approve decrypting alone; supervisors inspect custodians and invigilators)',
  },
  'user.cannot_change_own_roles': { status: 403, zh: '不能修改自己的角色', en: 'You cannot change your own roles' },
  'user.role_change_needs_second_person': {
    status: 409,
    zh: '授予或撤销系统管理员、试卷保密管理员、督导人员角色须由第二人确认：请提交角色变更申请',
    en: 'Granting or removing the administrator, custodian or supervisor role needs a second person: propose a role change instead',
  },
  'user.own_password_via_reset': {
    status: 403,
    zh: '不能为自己重设密码：请在“修改密码”中输入当前密码后修改',
    en: 'You cannot reset your own password: change it with your current password instead',
  },
  'user.current_password_wrong': { status: 403, zh: '当前密码错误', en: 'The current password is wrong' },
  'user.password_unchanged': { status: 400, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  'role_change.not_found': { status: 404, zh: '没有这个角色变更申请', en: 'No such role change' },
  'role_change.not_pending': { status: 409, zh: '该角色变更申请已处理', en: 'This role change has already been decided' },
  'role_change.already_pending': { status: 409, zh: '该用户已有一项待确认的角色变更', en: 'This user already has a role change awaiting confirmation' },
  'role_change.no_change': { status: 400, zh: '申请的角色与现有角色相同', en: 'The proposed roles are the same as the current ones' },
  'role_change.same_person': {
    status: 403,
    zh: '提出角色变更的人不能自己确认，须由另一名管理员或督导人员确认',
    en: 'The person who proposed a role change cannot confirm it; another administrator or a supervisor must',
  },
  'role_change.own_account': { status: 403, zh: '不能处理针对自己账号的角色变更', en: 'You cannot decide a role change of your own account' },
  'role_change.stale': {
    status: 409,
    zh: '该用户的角色在申请后已改变，请重新提出申请',
    en: "The user's roles changed after this was proposed; propose it again",
  },
  'role_change.holder_absent': {
    status: 409,
    zh: '授予此角色须账号本人在场：请本人当面输入自己的密码后再确认',
    en: 'The account holder must be present to receive this role: they type their own password in front of you, then you confirm',
  },
  'role_change.holder_password_not_own': {
    status: 409,
    zh: '账号本人尚未设置自己的密码：请本人先登录并设置密码，再当面确认',
    en: 'The account holder has not chosen their own password yet: they log in and choose one first, then confirm in front of you',
  },
  'role_change.holder_check_failed': {
    status: 403,
    zh: '账号本人的密码不正确：角色未变更',
    en: "The account holder's password is wrong: the roles were not changed",
  },
  'auth.busy': { status: 503, zh: '服务器正忙于核验密码，请稍后再试', en: 'The server is busy checking passwords; try again shortly' },
  'auth.password_change_required': { status: 403, zh: '请先设置您自己的密码', en: 'Choose your own password first' },
}
