// cosignature/v1 (c2sp.org/tlog-cosignature) and the add-checkpoint bodies of c2sp.org/tlog-witness.
import { createPublicKey, verify as nodeVerify } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  NoteError,
  WitnessProtocolError,
  cosignatureLine,
  cosignedMessage,
  cosignerKeyId,
  formatAddCheckpoint,
  formatCosignerVkey,
  GENESIS_PREV,
  encodeEvent,
  formatCheckpoint,
  formatExportLine,
  formatExportTrailer,
  leafHash,
  rootOf,
  verifyExport,
  formatVkey,
  openCosignatures,
  openNote,
  parseAddCheckpoint,
  parseCosignatureLine,
  parseCosignatureResponse,
  parseCosignerVkey,
  parseSizeResponse,
  signNote,
  verifyCosignature,
  withSignatureLines,
} from '../audit/index.ts'
import { ed25519, fromBase64, fromHex, sha256, toHex, utf8 } from '../crypto/index.ts'

// The checkpoint and cosignature line of the spec's own example (c2sp.org/tlog-cosignature, "Format").
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'
const SPEC_LINE = '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=='

// A pinned vector derived here: RFC 8032 test 1's key as the witness key, the spec's checkpoint and time.
// The line was checked outside this code base with Python's `cryptography` (Ed25519PublicKey.verify) and
// hashlib (key id), and is checked below with node:crypto.
const RFC8032_SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
const RFC8032_PUB = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
const PINNED_VKEY = 'witness.example.com/w1+7e6f4aaa+BNdamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea'
const PINNED_LINE = '\u2014 witness.example.com/w1 fm9KqgAAAABkGFDL+TPmh4BYuAjsYRoqMJCWb/gWJaeRF/kmm5tlCr9sJ57DLErur7K0yDXc2ArN+TIuotuB/HbuL3AJsp3bv/aNCQ==\n'

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof NoteError || err instanceof WitnessProtocolError) return err.code
    throw err
  }
  return 'no error'
}

describe('the spec example', () => {
  test('its cosignature line carries key id 8d66cf3f, time 1679315147 and a 64-byte Ed25519 signature', () => {
    const c = parseCosignatureLine(SPEC_LINE)
    expect(c.name).toBe('witness.example.com/w1')
    expect(c.keyId.toString(16)).toBe('8d66cf3f')
    expect(c.time).toBe(1679315147)
    expect(c.signature.length).toBe(64)
  })

  test('the signed message is "cosignature/v1", the time line, then the whole checkpoint text', () => {
    expect(new TextDecoder().decode(cosignedMessage(SPEC_TEXT, 1679315147))).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    )
  })
})

describe('cosignature/v1 bytes', () => {
  const pub = ed25519.publicKey(RFC8032_SEED)

  test('the key id is SHA-256(name || 0x0A || 0x04 || key)[:4] and the vkey carries type 0x04', () => {
    expect(toHex(pub)).toBe(RFC8032_PUB)
    const h = sha256(new Uint8Array([...utf8('witness.example.com/w1'), 0x0a, 0x04, ...pub]))
    expect(cosignerKeyId('witness.example.com/w1', pub).toString(16).padStart(8, '0')).toBe(toHex(h.slice(0, 4)))
    expect(formatCosignerVkey('witness.example.com/w1', pub)).toBe(PINNED_VKEY)
    const k = parseCosignerVkey(PINNED_VKEY)
    expect(k.keyId).toBe(0x7e6f4aaa)
    expect(fromBase64(PINNED_VKEY.split('+').slice(2).join('+'))[0]).toBe(0x04)
  })

  test('signing the spec checkpoint at the spec time gives the pinned line', () => {
    expect(cosignatureLine(SPEC_TEXT, 1679315147, 'witness.example.com/w1', RFC8032_SEED)).toBe(PINNED_LINE)
  })

  test('the pinned line is key id || u64 big-endian time || signature, and node:crypto verifies it', () => {
    const raw = fromBase64(PINNED_LINE.trim().split(' ')[2]!)
    expect(raw.length).toBe(76)
    expect(toHex(raw.slice(0, 4))).toBe('7e6f4aaa')
    expect(toHex(raw.slice(4, 12))).toBe('000000006418' + '50cb') // 1679315147
    const spki = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pub)]), format: 'der', type: 'spki' })
    expect(nodeVerify(null, cosignedMessage(SPEC_TEXT, 1679315147), spki, raw.slice(12))).toBe(true)
  })

  test('a cosignature verifies with its vkey and returns its time', () => {
    expect(verifyCosignature(SPEC_TEXT, PINNED_LINE, PINNED_VKEY)).toBe(1679315147)
  })

  test('a changed checkpoint, time, signature or key is refused', () => {
    const other = formatCosignerVkey('witness.example.com/w1', ed25519.publicKey(sha256(utf8('another witness'))))
    expect(codeOf(() => verifyCosignature(SPEC_TEXT.replace('20852163', '20852164'), PINNED_LINE, PINNED_VKEY))).toBe('note.bad_signature')
    const raw = fromBase64(PINNED_LINE.trim().split(' ')[2]!)
    const later = raw.slice()
    later[11]! ^= 1 // the time, which the signature covers
    const flipped = raw.slice()
    flipped[40]! ^= 1
    const line = (b: Uint8Array) => `\u2014 witness.example.com/w1 ${Buffer.from(b).toString('base64')}`
    expect(codeOf(() => verifyCosignature(SPEC_TEXT, line(later), PINNED_VKEY))).toBe('note.bad_signature')
    expect(codeOf(() => verifyCosignature(SPEC_TEXT, line(flipped), PINNED_VKEY))).toBe('note.bad_signature')
    expect(codeOf(() => verifyCosignature(SPEC_TEXT, PINNED_LINE, other))).toBe('note.unverified')
    expect(codeOf(() => verifyCosignature(SPEC_TEXT, line(raw.slice(0, 75)), PINNED_VKEY))).toBe('note.malformed')
  })

  test('a log key (type 0x01) is not a cosigner key, and a cosigner key is not a log key', () => {
    const logVkey = formatVkey('witness.example.com/w1', pub)
    expect(codeOf(() => parseCosignerVkey(logVkey))).toBe('note.bad_key')
    expect(codeOf(() => parseCosignerVkey(PINNED_VKEY.replace('7e6f4aaa', '7e6f4aab')))).toBe('note.bad_key')
    // A note verifier given the witness's key as an Ed25519 note key does not accept the cosignature.
    const note = `${SPEC_TEXT}\n${PINNED_LINE}`
    expect(openNote(note, [logVkey]).signatures.every((s) => !s.verified)).toBe(true)
  })

  test('openCosignatures checks the lines of the given witnesses and ignores every other line', () => {
    const logKey = sha256(utf8('the log'))
    const logNote = signNote(SPEC_TEXT, 'example.com/behind-the-sofa', logKey)
    const note = withSignatureLines(logNote, [PINNED_LINE, PINNED_LINE])
    expect(note.split('\u2014').length - 1).toBe(2) // the same line is appended once
    const checked = openCosignatures(note, [PINNED_VKEY])
    expect(checked).toEqual([expect.objectContaining({ witness: PINNED_VKEY, time: 1679315147, verified: true })])
    expect(openCosignatures(logNote, [PINNED_VKEY])).toEqual([])
    // The log's own signature still verifies with the cosignature appended.
    expect(openNote(note, [formatVkey('example.com/behind-the-sofa', ed25519.publicKey(logKey))]).signatures[0]!.verified).toBe(true)
  })
})

describe('add-checkpoint bodies (c2sp.org/tlog-witness)', () => {
  const note = `${SPEC_TEXT}\n\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n`
  const proof = ['PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=', 'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=']

  test('the spec example request body parses and formats back to the same text', () => {
    const body = `old 20852014\n${proof.join('\n')}\n\n${note}`
    const req = parseAddCheckpoint(body)
    expect(req.oldSize).toBe(20852014)
    expect(req.proof.length).toBe(2)
    expect(req.note).toBe(note)
    expect(formatAddCheckpoint(req)).toBe(body)
  })

  test('malformed bodies are refused (witness.malformed)', () => {
    for (const bad of [
      `old 01\n\n${note}`,
      `old -1\n\n${note}`,
      `old 5\n${note}`,
      `new 5\n\n${note}`,
      `old 5\nnot base64!\n\n${note}`,
      `old 5\nAAAA\n\n${note}`,
      `old 5\n${Array.from({ length: 64 }, () => proof[0]).join('\n')}\n\n${note}`,
    ])
      expect(codeOf(() => parseAddCheckpoint(bad))).toBe('witness.malformed')
  })

  test('answers: cosignature lines, and the size of a 409', () => {
    expect(parseCosignatureResponse(PINNED_LINE)).toEqual([PINNED_LINE.trim()])
    expect(codeOf(() => parseCosignatureResponse('20852014\n'))).toBe('witness.malformed')
    expect(parseSizeResponse('20852014\n')).toBe(20852014)
    expect(codeOf(() => parseSizeResponse('012\n'))).toBe('witness.malformed')
  })
})

describe('verifyExport with required witnesses (verify-log --witness)', () => {
  const logKey = sha256(utf8('export log key'))
  const NAME = 'custody.example/log'
  const witnessKey = sha256(utf8('export witness key'))
  const WITNESS = formatCosignerVkey('witness.example/w', ed25519.publicKey(witnessKey))

  function exportWith(cosign: (text: string) => string[]): string[] {
    const events = [0, 1].map((i) => ({
      v: 1 as const,
      index: i,
      prev: '',
      time: '2026-12-04T08:00:00.000Z',
      actor: { system: 'custody-server' },
      action: 'test.event',
      outcome: 'ok' as const,
      subject: null,
      where: null,
      data: { i },
    }))
    let prev = GENESIS_PREV
    const lines: string[] = []
    const leaves: Uint8Array[] = []
    for (const e of events) {
      const b = encodeEvent({ ...e, prev })
      leaves.push(leafHash(b))
      prev = toHex(leaves.at(-1)!)
      lines.push(formatExportLine(e.index, b))
    }
    const text = formatCheckpoint({ origin: NAME, size: 2, rootHash: rootOf(leaves) })
    const note = withSignatureLines(signNote(text, NAME, logKey), cosign(text))
    return [...lines, formatExportTrailer(note, [formatVkey(NAME, ed25519.publicKey(logKey))])]
  }

  test('a checkpoint cosigned by the witness passes, and the summary names the witness and the time', () => {
    const r = verifyExport(
      exportWith((t) => [cosignatureLine(t, 1796371200, 'witness.example/w', witnessKey)]),
      { witnessKeys: [WITNESS] },
    )
    expect(r.ok && r.summary).toMatch(/cosigned by witness\.example\/w\+[0-9a-f]{8} at 2026-12-04T08:00:00\.000Z/)
  })

  test('without the witness cosignature the export fails (checkpoint.not_cosigned)', () => {
    const other = sha256(utf8('another witness'))
    const r = verifyExport(
      exportWith((t) => [cosignatureLine(t, 1796371200, 'witness.example/other', other)]),
      { witnessKeys: [WITNESS] },
    )
    expect(r).toMatchObject({ ok: false, code: 'checkpoint.not_cosigned' })
  })

  test('a cosignature over another checkpoint fails (checkpoint.bad_cosignature)', () => {
    const r = verifyExport(
      exportWith((t) => [cosignatureLine(t.replace('\n2\n', '\n3\n'), 1796371200, 'witness.example/w', witnessKey)]),
      { witnessKeys: [WITNESS] },
    )
    expect(r).toMatchObject({ ok: false, code: 'checkpoint.bad_cosignature' })
  })

  test('without --witness the cosignature lines are ignored', () => {
    expect(verifyExport(exportWith(() => [])).ok).toBe(true)
  })
})
