import type { KeyCode } from '../domain/keys/index.ts'
import type { ErrorEntry } from './_errors.ts'

/**
 * The split paper key (docs/decisions/008-split-master-key.md). A refusal never says more than the holder needs:
 * a wrong passphrase is "wrong", never how close; nothing here echoes a passphrase.
 */
export const KEY_ERRORS: Record<KeyCode, ErrorEntry> = {
  'keys.not_allowed_for_role': { status: 403, zh: '只有系统管理员能发起或取消密钥仪式', en: 'Only an administrator starts or cancels a key ceremony' },
  'keys.ceremony_open': { status: 409, zh: '已有一场密钥仪式正在进行，请先完成或取消它', en: 'A key ceremony is already open; complete or cancel it first' },
  'keys.no_ceremony': { status: 409, zh: '当前没有进行中的密钥仪式', en: 'No key ceremony is open' },
  'keys.holders_invalid': {
    status: 400,
    zh: '份额持有人须为 2–10 名不同的在职保密员（不能是系统管理员），门限 k 须在 2 与人数之间',
    en: 'Share holders must be 2–10 different active custodians (no administrator), and k between 2 and their number',
  },
  'keys.not_named': { status: 403, zh: '您不在本次密钥仪式的份额持有人名单中', en: 'You are not named as a share holder in this key ceremony' },
  'keys.already_registered': { status: 409, zh: '您已在本次仪式中设定了份额口令', en: 'You have already set your share passphrase in this ceremony' },
  'keys.already_unlocked': { status: 409, zh: '您已为本次仪式解锁了份额', en: 'You have already unlocked your share for this ceremony' },
  'keys.no_key': {
    status: 409,
    zh: '试卷主密钥尚未拆分分发，请系统管理员发起密钥仪式',
    en: 'The paper key has not been split and dealt yet; an administrator starts a key ceremony',
  },
  'key_share.passphrase_weak': { status: 400, zh: '份额口令至少需要 12 个字符', en: 'A share passphrase needs at least 12 characters' },
  'key_share.passphrase_required': { status: 400, zh: '请输入您的份额口令', en: 'Enter your share passphrase' },
  'key_share.same_as_password': {
    status: 400,
    zh: '份额口令不能与登录密码相同（管理员可以重置登录密码，但不能得到份额）',
    en: 'The share passphrase must differ from your login password (an administrator can reset a password, never a share)',
  },
  'key_share.not_holder': {
    status: 403,
    zh: '您没有试卷主密钥的份额，不能以此审批解密',
    en: 'You hold no share of the paper key, so you cannot approve decryption with it',
  },
  'key_share.holder_disabled': {
    status: 403,
    zh: '该份额持有人的账号已停用或不再是保密员，其份额不再有效',
    en: "This share holder's account is disabled or no longer a custodian; the share is refused",
  },
  'key_share.wrong_passphrase': { status: 403, zh: '份额口令不正确', en: 'Wrong share passphrase' },
  'key_share.locked': {
    status: 429,
    zh: '份额口令错误次数过多，该份额暂时锁定，请稍后再试',
    en: 'Too many wrong share passphrases; this share is locked for a while',
  },
  'key_share.busy': {
    status: 503,
    zh: '服务器正忙（同时进行的口令计算过多），请稍后再试',
    en: 'The server is busy (too many passphrase checks at once); try again shortly',
  },
  'key_share.too_few': {
    status: 409,
    zh: '已解锁的密钥份额不足，需要更多持有人输入份额口令（数量见详情）',
    en: 'Not enough key shares are unlocked; more holders must enter their passphrases (see details)',
  },
}
