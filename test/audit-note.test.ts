import { describe, expect, test } from 'vitest'
import { NoteError, cosignNote, formatVkey, keyId, openNote, parseVkey, signNote, verifyNote } from '../audit/index.ts'
import { ed25519, fromBase64, sha256, utf8 } from '../crypto/index.ts'

// The example of golang.org/x/mod/sumdb/note (also in C2SP signed-note implementations).
const PETER = {
  vkey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  // The published private key PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: 0x01 || seed.
  seed: fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz').slice(1),
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  note:
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n" +
    '\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
}

const seed = (label: string): Uint8Array => sha256(utf8(label))
const OLD = { name: 'custody.example/log', priv: seed('note test old key') }
const NEW = { name: 'custody.example/log', priv: seed('note test new key') }
const vkeyOf = (k: { name: string; priv: Uint8Array }): string => formatVkey(k.name, ed25519.publicKey(k.priv))
const TEXT = 'custody.example/log\n7\nMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=\n'

function code(f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof NoteError) return err.code
    throw err
  }
  return 'no error'
}

describe('the Go sumdb/note example', () => {
  test('its vkey parses and its key id is SHA-256(name || 0x0A || 0x01 || key)[:4]', () => {
    const v = parseVkey(PETER.vkey)
    expect(v.name).toBe('PeterNeumann')
    expect(v.keyId).toBe(0xc74f20a3)
    expect(keyId('PeterNeumann', v.publicKey)).toBe(0xc74f20a3)
    expect(formatVkey('PeterNeumann', v.publicKey)).toBe(PETER.vkey)
  })
  test('its signed note verifies', () => {
    const opened = verifyNote(PETER.note, PETER.vkey)
    expect(opened.text).toBe(PETER.text)
    expect(opened.signatures).toEqual([{ name: 'PeterNeumann', keyId: 0xc74f20a3, known: true, verified: true }])
  })
  test('signing its text with its published key reproduces it byte for byte (em dash, layout, key id)', () => {
    expect(formatVkey('PeterNeumann', ed25519.publicKey(PETER.seed))).toBe(PETER.vkey)
    expect(signNote(PETER.text, 'PeterNeumann', PETER.seed)).toBe(PETER.note)
  })
  test('a one-letter change of its text fails', () => {
    expect(code(() => verifyNote(PETER.note.replace('problem,', 'problem;'), PETER.vkey))).toBe('note.bad_signature')
  })
})

describe('signing and opening', () => {
  test('a signed note is text, a blank line, one signature line per key', () => {
    const note = signNote(TEXT, OLD.name, OLD.priv)
    expect(note.startsWith(`${TEXT}\n\u2014 ${OLD.name} `)).toBe(true)
    expect(note.endsWith('\n')).toBe(true)
    expect(verifyNote(note, vkeyOf(OLD)).text).toBe(TEXT)
  })

  test('co-signing adds a line; each key verifies on its own (key rotation)', () => {
    const note = cosignNote(signNote(TEXT, OLD.name, OLD.priv), NEW.name, NEW.priv)
    expect(note.split('\n\n').length).toBe(2) // one blank line, then the signature lines
    expect(note.match(/\n\u2014 /g)?.length).toBe(2)
    expect(verifyNote(note, vkeyOf(OLD)).text).toBe(TEXT)
    expect(verifyNote(note, vkeyOf(NEW)).text).toBe(TEXT)
    expect(openNote(note, [vkeyOf(OLD), vkeyOf(NEW)]).signatures.map((s) => s.verified)).toEqual([true, true])
  })

  test('signatures by unknown keys are ignored, also when they share the name', () => {
    const note = cosignNote(signNote(TEXT, OLD.name, OLD.priv), NEW.name, NEW.priv)
    const opened = openNote(note, [vkeyOf(OLD)])
    expect(opened.signatures.map((s) => [s.known, s.verified])).toEqual([
      [true, true],
      [false, false],
    ])
  })

  test('the text may itself contain blank lines: the last one separates the signatures', () => {
    const text = 'first\n\nthird\n'
    expect(verifyNote(signNote(text, OLD.name, OLD.priv), vkeyOf(OLD)).text).toBe(text)
  })

  test('a note not signed by the key is unverified (note.unverified)', () => {
    expect(code(() => verifyNote(signNote(TEXT, NEW.name, NEW.priv), vkeyOf(OLD)))).toBe('note.unverified')
  })

  test('a failing signature by the key rejects the note even beside a good one (note.bad_signature)', () => {
    const good = signNote(TEXT, OLD.name, OLD.priv)
    const line = good.slice(TEXT.length + 1)
    const bad = line.replace(/[A-Za-z0-9+/]{10}=*\n$/, (m) => (m[0] === 'A' ? 'B' : 'A') + m.slice(1))
    expect(code(() => verifyNote(`${TEXT}\n${line}${bad}`, vkeyOf(OLD)))).toBe('note.bad_signature')
  })

  test('signing refuses text without a final newline, control characters, or a bad key name', () => {
    expect(code(() => signNote('no newline', OLD.name, OLD.priv))).toBe('note.malformed')
    expect(code(() => signNote('tab\there\n', OLD.name, OLD.priv))).toBe('note.malformed')
    expect(code(() => signNote('cr\r\n', OLD.name, OLD.priv))).toBe('note.malformed')
    expect(code(() => signNote(TEXT, 'has space', OLD.priv))).toBe('note.bad_key')
    expect(code(() => signNote(TEXT, 'has+plus', OLD.priv))).toBe('note.bad_key')
    expect(code(() => signNote(TEXT, '', OLD.priv))).toBe('note.bad_key')
    expect(code(() => signNote(TEXT, 'ideographic\u3000space', OLD.priv))).toBe('note.bad_key')
  })
})

describe('malformed notes are refused (note.malformed)', () => {
  const good = signNote(TEXT, OLD.name, OLD.priv)
  const sigLine = good.slice(TEXT.length + 1)
  const cases: Array<[string, string]> = [
    ['no blank line', `${TEXT}${sigLine}`],
    ['no final newline', good.slice(0, -1)],
    ['no signature lines', `${TEXT}\n`],
    ['a hyphen instead of the em dash', `${TEXT}\n${sigLine.replace('\u2014', '-')}`],
    ['an en dash instead of the em dash', `${TEXT}\n${sigLine.replace('\u2014', '\u2013')}`],
    ['no space after the dash', `${TEXT}\n${sigLine.replace('\u2014 ', '\u2014')}`],
    ['a signature that is not base64', `${TEXT}\n\u2014 ${OLD.name} not*base64\n`],
    ['a signature shorter than key id + 1 byte', `${TEXT}\n\u2014 ${OLD.name} AAAAAA==\n`],
    ['a key name with a plus', `${TEXT}\n${sigLine.replace(OLD.name, 'a+b')}`],
    ['a carriage return', good.replace('\n', '\r\n')],
    ['a NUL byte', `x\u0000${good}`],
    ['101 signatures', `${TEXT}\n${sigLine.repeat(101)}`],
  ]
  test.each(cases)('%s', (_, note) => {
    expect(code(() => openNote(note, [vkeyOf(OLD)]))).toBe('note.malformed')
  })
  test('a blank line among the signatures moves the lines above it into the text, which then fails', () => {
    const note = `${TEXT}\n${sigLine}\n${sigLine}`
    expect(openNote(note, [vkeyOf(OLD)]).text).toBe(`${TEXT}\n${sigLine}`)
    expect(code(() => verifyNote(note, vkeyOf(OLD)))).toBe('note.bad_signature')
  })
  test('100 signatures are accepted (the spec asks for at least 16)', () => {
    expect(openNote(`${TEXT}\n${sigLine.repeat(100)}`, [vkeyOf(OLD)]).signatures).toHaveLength(100)
  })
})

describe('verifier keys', () => {
  const vkey = vkeyOf(OLD)
  const [name, id, key] = [vkey.slice(0, vkey.indexOf('+')), vkey.split('+')[1]!, vkey.slice(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1)]
  test('a vkey is name+<8 hex key id>+base64(0x01 || public key)', () => {
    expect(vkey).toMatch(/^custody\.example\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/)
    expect(fromBase64(key)[0]).toBe(0x01)
    expect(parseVkey(vkey)).toMatchObject({ name, keyId: parseInt(id, 16), text: vkey })
  })
  test.each([
    ['a key id that does not match the key', `${name}+00000000+${key}`],
    ['an uppercase key id', `${name}+${id.toUpperCase()}+${key}`],
    ['a short key id', `${name}+${id.slice(1)}+${key}`],
    ['a non-Ed25519 type byte', `${name}+${id}+${'Ag' + key.slice(2)}`],
    ['a short key', `${name}+${id}+${key.slice(0, -4)}`],
    ['no key', `${name}+${id}`],
    ['an empty name', `+${id}+${key}`],
    ['a name with a space', `a b+${id}+${key}`],
  ])('refuses %s (note.bad_key)', (_, bad) => {
    expect(code(() => parseVkey(bad))).toBe('note.bad_key')
  })
})
