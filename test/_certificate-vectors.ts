// The known-answer certificate of docs/certificate-format.md, shared by the crypto, CLI and domain tests: the fixed
// key (seed = 32 bytes of 0x0c, named custody-certificates; its id is the signed-note key id) and the payload.
import { type CertificatePayload, ed25519 } from '../crypto/index.ts'

export const PRIV = new Uint8Array(32).fill(0x0c)
export const PUB = ed25519.publicKey(PRIV)
export const KEY_ID = '523809d8'

/** 张三's 电工 level-4 certificate, number S000050000001264000017, issued 2026-07-15. */
export const CERT: CertificatePayload = {
  number: 'S000050000001264000017',
  holderName: '张三',
  maskedId: '1101**********002X',
  occupationCode: '6-31-01-03',
  occupationName: '电工',
  level: 4,
  issuedOn: '2026-07-15',
  body: '重庆工业职业技术学院',
  batchRef: '渝职鉴〔2026〕17号',
  replaces: null,
}
