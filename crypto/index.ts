// The public surface of crypto/: pure primitives (no node:* imports, no Bun globals: it bundles for the browser),
// no project imports. A host with native code plugs it in once at start (the server: server/native-crypto.ts).
export { installNative, installedNative, randomBytes } from './_native.ts'
export type { AesGcm, NativeCrypto } from './_native.ts'
export { abytes, concatBytes, equalBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from './_bytes.ts'
export { sha256, sha256Concat } from './_sha256.ts'
export { ed25519 } from './_ed25519.ts'
export {
  BADGE_DUTIES,
  TICKET_PREFIX,
  TICKET_PREFIX_V2,
  TICKET_VERSION,
  decodeTicket,
  encodeTicket,
  signTicket,
  signTicketV2,
  ticketIdentity,
  ticketKeyIdOf,
  ticketMatchesIdentity,
  verifyTicket,
  verifyTicketRing,
  type BadgeDuty,
  type BadgePayload,
  type SignedPass,
  type TicketErrorCode,
  type TicketKey,
  type TicketPayload,
  type TicketRingErrorCode,
  type TicketRingVerifyResult,
  type TicketVerifyResult,
} from './_ticket.ts'
// E-certificates (R8.1, R8.2; docs/certificate-format.md): CC1 texts signed by the certificate key ring.
export {
  CERTIFICATE_PREFIX,
  CERTIFICATE_VERSION,
  certificateKeyIdOf,
  certificateQr,
  decodeCertificate,
  encodeCertificate,
  signCertificate,
  verifyCertificateQr,
  verifyCertificateRing,
  type CertificateErrorCode,
  type CertificateKey,
  type CertificatePayload,
  type CertificateVerifyResult,
} from './_certificate.ts'

// Paper encryption (R5.1; docs/decisions/003-paper-encryption.md): chunked AES-256-GCM
// container with per-file data keys, wrapped under master keys that rotate without re-encrypting papers.
export { decryptStream, encryptStream, toReadableStream } from './_stream.ts'
export type { ByteSource, EncryptOptions } from './_stream.ts'
export { DEFAULT_CHUNK_SIZE as PAPER_CHUNK_SIZE, encryptedPaperLength, readPaperHeader } from './_paper-format.ts'
export type { PaperHeader } from './_paper-format.ts'
export {
  generateDataKey,
  generateMasterKey,
  masterKeyIdOf,
  rewrapKey,
  rewrapToPublic,
  unwrapKey,
  unwrapKeyWithPrivate,
  wrapKey,
  wrapKeyToPublic,
  wrappedKeyVersion,
} from './_paper-keys.ts'
export type { MasterKey, PaperPublicKey, WrapOptions } from './_paper-keys.ts'
// The split paper key (docs/decisions/008-split-master-key.md): HPKE (RFC 9180) to a public key whose private
// half exists only as k-of-n Shamir shares, each sealed to its holder's passphrase key.
export { HPKE_ENC_LENGTH, X25519_KEY_LENGTH, hpkeFingerprint, hpkeKeyId, hpkeKeyPairFromSeed, hpkeOpen, hpkeSeal } from './_hpke.ts'
export type { HpkeBinding, HpkeKeyPair } from './_hpke.ts'
export { MIN_PASSPHRASE_LENGTH, SHARE_SCRYPT, combineShares, openShare, passphraseKeyPair, sealShare, splitSecret } from './_key-shares.ts'
export type { ScryptCost } from './_key-shares.ts'
export { PAPER_CRYPTO_CODES, PaperCryptoError } from './_paper-error.ts'
export type { PaperCryptoCode } from './_paper-error.ts'
