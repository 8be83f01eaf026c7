// The public surface of crypto/: pure primitives, no project imports.
export { abytes, concatBytes, equalBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from './_bytes.ts'
export { sha256, sha256Concat } from './_sha256.ts'
export { ed25519 } from './_ed25519.ts'
export { BADGE_DUTIES, TICKET_PREFIX, TICKET_VERSION, decodeTicket, encodeTicket, signTicket, ticketIdentity, ticketMatchesIdentity, verifyTicket, type BadgeDuty, type BadgePayload, type SignedPass, type TicketErrorCode, type TicketPayload, type TicketVerifyResult } from './_ticket.ts'

// Paper encryption (issue 4, R5.1; docs/decisions/003-paper-encryption.md): chunked AES-256-GCM
// container with per-file data keys, wrapped under master keys that rotate without re-encrypting papers.
export { decryptStream, encryptStream, toReadableStream } from './_stream.ts'
export type { ByteSource, EncryptOptions } from './_stream.ts'
export { DEFAULT_CHUNK_SIZE as PAPER_CHUNK_SIZE, encryptedPaperLength, readPaperHeader } from './_paper-format.ts'
export type { PaperHeader } from './_paper-format.ts'
export { generateDataKey, generateMasterKey, masterKeyIdOf, rewrapKey, unwrapKey, wrapKey } from './_paper-keys.ts'
export type { MasterKey, WrapOptions } from './_paper-keys.ts'
export { PAPER_CRYPTO_CODES, PaperCryptoError } from './_paper-error.ts'
export type { PaperCryptoCode } from './_paper-error.ts'
