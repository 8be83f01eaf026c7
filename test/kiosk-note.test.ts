// The browser's reading of signed checkpoints (kiosk/src/_note.ts): the Go/C2SP known answer, notes the
// server's audit/ module signs, and what must not verify.
import { describe, expect, test } from 'vitest'
import { formatCheckpoint, formatVkey, keyId, signNote } from '../audit/index.ts'
import { ed25519 } from '../crypto/index.ts'
import { fromHex, toBase64, toHex } from '../kiosk/src/_bytes.ts'
import { parseCheckpoint, parseNote, parseVkey, verifyNote } from '../kiosk/src/_note.ts'

// golang.org/x/mod/sumdb/note's example key and note.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'
const PETER_NOTE =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n'

const priv = new Uint8Array(32).fill(7)
const NAME = 'custody.test/log'
const ROOT = fromHex('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328')
const signed = (size = 8) => signNote(formatCheckpoint({ origin: NAME, size, rootHash: ROOT }), NAME, priv)

describe('kiosk signed-note and checkpoint reading (C2SP)', () => {
  test('the Go example note verifies under its key (known answer)', () => {
    const key = parseVkey(PETER_VKEY)
    expect(toHex(key.keyId)).toBe('c74f20a3')
    const note = parseNote(PETER_NOTE)
    expect(note.text).toBe("If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n")
    expect(verifyNote(note, key)).toBe(true)
  })

  test('a checkpoint signed by the server verifies with the key the server publishes', () => {
    const key = parseVkey(formatVkey(NAME, ed25519.publicKey(priv)))
    expect(parseInt(toHex(key.keyId), 16)).toBe(keyId(NAME, ed25519.publicKey(priv)))
    const note = parseNote(signed())
    expect(verifyNote(note, key)).toBe(true)
    const cp = parseCheckpoint(note.text)
    expect(cp).toMatchObject({ origin: NAME, size: 8, extensions: [] })
    expect(toHex(cp.root)).toBe(toHex(ROOT))
  })

  test('a changed size, another key or another key name does not verify', () => {
    const key = parseVkey(formatVkey(NAME, ed25519.publicKey(priv)))
    const note = parseNote(signed())
    expect(verifyNote({ ...note, text: note.text.replace('\n8\n', '\n9\n') }, key)).toBe(false)
    const otherVkey = formatVkey(NAME, ed25519.publicKey(new Uint8Array(32).fill(8)))
    expect(otherVkey.split('+').length).toBeGreaterThan(3) // its base64 holds a '+': still one key
    const other = parseVkey(otherVkey)
    expect(verifyNote(note, other)).toBe(false)
    expect(verifyNote(note, { ...key, name: 'other.test/log' })).toBe(false)
  })

  test('a vkey whose key ID does not match its key, or that is not Ed25519, is refused', () => {
    const good = formatVkey(NAME, ed25519.publicKey(priv))
    const [name, , b64] = good.split('+') as [string, string, string]
    expect(() => parseVkey(`${name}+00000000+${b64}`)).toThrow(/key ID/)
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    raw[0] = 0x02
    expect(() => parseVkey(`${name}+${good.split('+')[1]}+${toBase64(raw)}`)).toThrow(/Ed25519/)
    expect(() => parseVkey('no-plus-signs')).toThrow()
  })

  test('malformed notes and checkpoints are refused', () => {
    expect(() => parseNote('text without signatures\n')).toThrow(/blank line/)
    expect(() => parseNote('text\n\n- not an em dash line\n')).toThrow(/signature line/)
    expect(() => parseCheckpoint(`${NAME}\n08\n${toBase64(ROOT)}\n`)).toThrow(/size/)
    expect(() => parseCheckpoint(`${NAME}\n-1\n${toBase64(ROOT)}\n`)).toThrow(/size/)
    expect(() => parseCheckpoint(`${NAME}\n8\n${toBase64(ROOT.slice(1))}\n`)).toThrow(/32 bytes/)
    expect(() => parseCheckpoint(`${NAME}\n8\n`)).toThrow()
    expect(parseCheckpoint(`${NAME}\n8\n${toBase64(ROOT)}\nextra line\n`).extensions).toEqual(['extra line'])
  })
})
