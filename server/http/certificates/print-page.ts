// The printable A4 skill-level certificate (职业技能等级证书, R8.1): server-rendered, every value escaped by
// hono/html; the only raw markup is the QR's SVG, made here from the signed text. No script, no inline style
// (the CSP forbids both): the look is kiosk/styles/certificate-print.css.
import { html, raw } from 'hono/html'
import QRCode from 'qrcode'
import { certificateQr } from '../../../crypto/index.ts'
import { LEVEL_NAMES } from '../../domain/registration/index.ts'
import type { CertificateView } from '../../services/certificates.ts'
import { printDocument } from '../_print-page.ts'

export const CERTIFICATE_PRINT_CSS_PATH = '/print/certificate.css'

/** '2026-07-15' → '2026年7月15日'. */
const zhDate = (d: string): string => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`

/** The page of one certificate; `origin` is the public page's origin the QR opens (https://<host>/verify/<number>#<text>). */
export async function renderCertificate(v: CertificateView, origin: string): Promise<string> {
  const p = v.payload
  const qrText = certificateQr(origin, v.text)
  const qr = await QRCode.toString(qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 })
  const rows: Array<[string, string, string?]> = [
    ['姓　　名', p.holderName],
    ['身份证号', p.maskedId, 'mono'],
    ['职业（工种）', `${p.occupationName}（${p.occupationCode}）`],
    ['等　　级', LEVEL_NAMES[p.level]],
    ['证书编号', p.number, 'mono'],
    ['发证日期', zhDate(p.issuedOn)],
    ['评价机构', p.body],
    ['审核批复', p.batchRef],
  ]
  if (p.replaces) rows.push(['补发说明', `本证书为补发，原证书 ${p.replaces} 已作废`])
  const body = html`<article class="certificate" data-certificate="${p.number}">
  ${v.status === 'revoked' ? html`<p class="certificate__void">已作废 VOID${v.replacedBy ? html` · 补发证书 ${v.replacedBy}` : ''}</p>` : ''}
  <header class="certificate__head">
    <p class="certificate__nation">中华人民共和国</p>
    <h1 class="certificate__title">职业技能等级证书</h1>
    <p class="certificate__en">Vocational Skill Level Certificate</p>
  </header>
  <div class="certificate__main">
    <table class="certificate__fields">
      <tbody>
        ${rows.map(([k, val, cls]) => html`<tr><th scope="row">${k}</th><td${cls ? raw(` class="${cls}"`) : ''}>${val}</td></tr>`)}
      </tbody>
    </table>
    <figure class="certificate__qr">
      ${raw(qr)}
      <figcaption>扫码核验证书<br><span class="mono">${origin}/verify/${p.number}</span></figcaption>
    </figure>
  </div>
  <footer class="certificate__foot">
    <p class="certificate__seal" aria-hidden="true">评价机构<br>（盖章）</p>
    <p>本证书由${p.body}颁发，二维码含本机构数字签名（Ed25519，密钥 ${v.keyId}），持公钥可离线核验；证书状态以核验页面为准。</p>
  </footer>
</article>`
  return printDocument({
    title: `职业技能等级证书 ${p.number}`,
    css: CERTIFICATE_PRINT_CSS_PATH,
    bodyClass: 'print-sheet',
    hint: { zh: '请使用浏览器的打印功能（Ctrl+P），A4 纵向，一页。', en: 'Print with the browser (Ctrl+P): A4 portrait, one page.' },
    body,
  })
}
