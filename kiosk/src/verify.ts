// /verify/<number>#<CC1 text>: the public certificate check (R8.2), no login. Two answers side by side: the
// server's status for the number (valid / revoked / unknown), and the signature of the QR's own signed content,
// checked here with the published certificate keys (kept in localStorage, so a later visit works without the
// server). A payload that does not verify is refused whatever the server says.
import { type CertificateKey, type CertificatePayload, fromBase64, verifyCertificateQr } from '../../crypto/index.ts'
import { ApiError, type OutputOf, api } from './_client.ts'
import { byId, el, problemText, showAlert } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { startPublicPage } from './_shell.ts'

type Status = OutputOf<'GET /api/public/certificates/{number}'>
type StoredKey = { keyId: string; publicKey: string }

const KEYS_STORE = 'custody.certificate-keys'
const LEVELS: Record<number, string> = { 1: '一级/高级技师', 2: '二级/技师', 3: '三级/高级工', 4: '四级/中级工', 5: '五级/初级工' }

const SIGNATURE: Record<string, Text> = {
  'certificate.bad_signature': T('签名无效：证书内容被篡改或伪造', 'Bad signature: the content was altered or forged'),
  'certificate.malformed': T('二维码内容格式不正确（可能被篡改）', 'The QR content is malformed (it may be altered)'),
  'certificate.unsupported_version': T('不支持的证书格式版本', 'Unsupported certificate format version'),
  'certificate.unknown_key': T('签名密钥不在已公布的密钥中', 'Signed by a key that is not among the published keys'),
  'certificate.number_mismatch': T('地址中的编号与签名内容中的编号不一致', 'The number in the address is not the signed one'),
}

startPublicPage()
void main()

async function main(): Promise<void> {
  const number = decodeURIComponent(location.pathname.split('/').pop() ?? '')
    .trim()
    .toUpperCase()
  const text = location.hash.slice(1)
  byId('verify-number').textContent = number

  const keys = await loadKeys()
  const offline = text ? (keys.list.length > 0 ? verifyCertificateQr(`${location.origin}/verify/${number}#${text}`, keys.list) : null) : undefined
  drawOffline(offline, keys.from)

  let status: Status | null = null
  try {
    status = await api('GET /api/public/certificates/{number}', { params: { number } })
    drawOnline(status)
  } catch (err) {
    // A refusal (too many lookups) says itself; no answer at all leaves the offline check.
    if (err instanceof ApiError && err.code !== 'network.unreachable') showAlert(byId('online'), 'error', problemText(err))
    else
      showAlert(byId('online'), 'info', T('无法连接服务器，仅显示离线签名核验结果', 'The server cannot be reached: only the offline signature check is shown'))
  }
  drawVerdict(status, offline)
}

/** The published keys: fetched and kept, or the kept ones when the server cannot be reached. */
async function loadKeys(): Promise<{ list: CertificateKey[]; from: 'server' | 'stored' | 'none' }> {
  let stored: StoredKey[] = []
  try {
    stored = JSON.parse(localStorage.getItem(KEYS_STORE) ?? '[]') as StoredKey[]
  } catch {
    stored = []
  }
  let from: 'server' | 'stored' | 'none' = stored.length > 0 ? 'stored' : 'none'
  try {
    const fresh = (await api('GET /api/public/certificate-keys')).keys
    // Keys are only added: one seen before stays trusted for certificates it signed.
    const merged = [...fresh, ...stored.filter((s) => !fresh.some((f) => f.keyId === s.keyId))]
    localStorage.setItem(KEYS_STORE, JSON.stringify(merged))
    stored = merged
    from = 'server'
  } catch {
    // offline: the kept keys
  }
  const list = stored.flatMap((k) => {
    try {
      const publicKey = fromBase64(k.publicKey)
      return /^[0-9a-f]{8}$/.test(k.keyId) && publicKey.length === 32 ? [{ keyId: k.keyId, publicKey }] : []
    } catch {
      return []
    }
  })
  return { list, from }
}

type Offline = ReturnType<typeof verifyCertificateQr> | null | undefined

function drawOffline(r: Offline, from: 'server' | 'stored' | 'none'): void {
  const box = byId('offline')
  byId('keys-note').replaceChildren(
    el('span', {
      text:
        from === 'server'
          ? T('公钥已从服务器获取，并保存在本浏览器中供离线使用。', 'Keys fetched from the server and kept in this browser for offline use.')
          : from === 'stored'
            ? T('服务器不可达：使用本浏览器此前保存的公钥。', 'Server unreachable: using the keys this browser kept earlier.')
            : T('没有可用的公钥（请联网打开一次本页）。', 'No keys available (open this page once online).'),
    }),
  )
  if (r === undefined)
    return showAlert(box, 'info', T('链接中没有签名内容，只能查询服务器状态', 'The link carries no signed content: only the server status can be shown'))
  if (r === null) return showAlert(box, 'info', T('没有公钥，无法离线核验', 'No keys: cannot check offline'))
  if (!r.ok) {
    box.dataset.result = 'refused'
    return showAlert(box, 'error', SIGNATURE[r.error.code] ?? T('签名核验失败', 'Signature check failed'), T('此证书内容不可信', 'Do not trust this content'))
  }
  box.dataset.result = 'ok'
  showAlert(box, 'ok', T(`签名有效（密钥 ${r.keyId}）：内容由评价机构签发，未被改动`, `Signature valid (key ${r.keyId}): issued by the body, unaltered`))
  box.append(facts(r.payload))
}

function facts(p: CertificatePayload): HTMLElement {
  const rows: Array<[Text, string]> = [
    [T('姓名', 'Name'), p.holderName],
    [T('身份证号', 'ID number'), p.maskedId],
    [T('职业（工种）', 'Occupation'), `${p.occupationName}（${p.occupationCode}）`],
    [T('等级', 'Level'), LEVELS[p.level] ?? String(p.level)],
    [T('发证日期', 'Issued on'), p.issuedOn],
    [T('评价机构', 'Body'), p.body],
    [T('审核批复', 'Approval'), p.batchRef],
  ]
  if (p.replaces) rows.push([T('补发，替代原证书', 'Reissue, replacing'), p.replaces])
  return el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]))
}

function drawOnline(s: Status): void {
  const box = byId('online')
  box.dataset.result = s.status
  if (s.status === 'unknown')
    return showAlert(box, 'error', T('查无此证书：本机构没有签发过这个编号的证书', 'No such certificate: this body never issued this number'))
  if (s.status === 'revoked')
    showAlert(
      box,
      'error',
      T('该证书已作废', 'This certificate is revoked'),
      s.replacedBy ? T(`已补发新证书 ${s.replacedBy}（${s.revokedOn ?? ''} 作废）`, `Reissued as ${s.replacedBy} (revoked ${s.revokedOn ?? ''})`) : undefined,
    )
  else showAlert(box, 'ok', T('证书有效', 'The certificate is valid'))
  const rows: Array<[Text, string]> = [
    [T('姓名', 'Name'), s.holderName ?? ''],
    [T('职业（工种）', 'Occupation'), s.occupationName ?? ''],
    [T('等级', 'Level'), s.levelName ?? ''],
    [T('发证日期', 'Issued on'), s.issuedOn ?? ''],
    [T('评价机构', 'Body'), s.body ?? ''],
  ]
  box.append(el('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)])))
}

/** One verdict: refused when the signature fails; otherwise the server's status, or the offline check alone. */
function drawVerdict(s: Status | null, r: Offline): void {
  const box = byId('verdict')
  let kind: 'ok' | 'error' | 'info'
  let t: Text
  if (r && !r.ok) {
    kind = 'error'
    t = T('核验未通过：二维码内容签名无效，证书不可信', 'Refused: the QR content does not verify; do not trust this certificate')
  } else if (s?.status === 'unknown') {
    kind = 'error'
    t = T('查无此证书', 'No such certificate')
  } else if (s?.status === 'revoked') {
    kind = 'error'
    t = T('证书已作废', 'Certificate revoked')
  } else if (s?.status === 'valid') {
    kind = 'ok'
    t = r?.ok ? T('证书有效，签名核验通过', 'Valid certificate, signature verified') : T('证书有效', 'Valid certificate')
  } else if (r?.ok) {
    kind = 'info'
    t = T('离线核验：签名有效（无法查询是否已作废）', 'Offline check: signature valid (revocation could not be checked)')
  } else {
    kind = 'info'
    t = T('无法核验', 'Cannot check')
  }
  box.dataset.verdict = r && !r.ok ? 'refused' : (s?.status ?? (r?.ok ? 'offline-valid' : 'none'))
  showAlert(box, kind, t)
}
