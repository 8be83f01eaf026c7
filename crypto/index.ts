// The public surface of crypto/: pure primitives, no project imports. (Paper AEAD will be added here.)
export { abytes, concatBytes, equalBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from './_bytes.ts'
export { sha256, sha256Concat } from './_sha256.ts'
export { ed25519 } from './_ed25519.ts'
export { BADGE_DUTIES, TICKET_PREFIX, TICKET_VERSION, decodeTicket, encodeTicket, signTicket, ticketIdentity, ticketMatchesIdentity, verifyTicket, type BadgeDuty, type BadgePayload, type SignedPass, type TicketErrorCode, type TicketPayload, type TicketVerifyResult } from './_ticket.ts'
