import { describe, expect, test } from 'vitest'
import { CheckpointError, formatCheckpoint, parseCheckpoint } from '../audit/index.ts'
import { fromBase64, toBase64 } from '../crypto/index.ts'

// The example of c2sp.org/tlog-checkpoint.
const SPEC = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'
const ROOT = fromBase64('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=')

test('the spec example parses and formats back to the same text', () => {
  const c = parseCheckpoint(SPEC)
  expect(c).toEqual({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: ROOT, extensions: [] })
  expect(formatCheckpoint(c)).toBe(SPEC)
})

test('extension lines follow the root, one per line', () => {
  const text = formatCheckpoint({ origin: 'custody.example/log', size: 0, rootHash: ROOT, extensions: ['— not a signature', 'x'] })
  expect(text).toBe(`custody.example/log\n0\n${toBase64(ROOT)}\n— not a signature\nx\n`)
  expect(parseCheckpoint(text).extensions).toEqual(['— not a signature', 'x'])
})

describe('parsing is strict (checkpoint.malformed)', () => {
  const bad: Array<[string, string]> = [
    ['a size with a leading zero', SPEC.replace('20852163', '020852163')],
    ['a signed size', SPEC.replace('20852163', '+20852163')],
    ['a negative size', SPEC.replace('20852163', '-1')],
    ['an exponent', SPEC.replace('20852163', '2e7')],
    ['spaces around the size', SPEC.replace('20852163', ' 20852163')],
    ['a size beyond 2^53', SPEC.replace('20852163', '9007199254740993')],
    ['a 31-byte root', SPEC.replace('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', toBase64(ROOT.subarray(1)))],
    ['a root in URL-safe base64', SPEC.replace('om/Xajj', 'om_Xajj')],
    ['a root without padding', SPEC.replace('=\n', '\n')],
    ['no final newline', SPEC.slice(0, -1)],
    ['only two lines', 'example.com/log\n5\n'],
    ['an empty origin', SPEC.replace('example.com/behind-the-sofa', '')],
    ['an empty extension line', `${SPEC}\n`],
    ['a carriage return', SPEC.replace('\n', '\r\n')],
  ]
  test.each(bad)('refuses %s', (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(CheckpointError)
  })
})

test('formatting refuses what could not be parsed back', () => {
  expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: ROOT })).toThrow(CheckpointError)
  expect(() => formatCheckpoint({ origin: 'log', size: -1, rootHash: ROOT })).toThrow(CheckpointError)
  expect(() => formatCheckpoint({ origin: 'log', size: 1.5, rootHash: ROOT })).toThrow(CheckpointError)
  expect(() => formatCheckpoint({ origin: 'log', size: 1, rootHash: ROOT.subarray(1) })).toThrow(CheckpointError)
  expect(() => formatCheckpoint({ origin: 'log', size: 1, rootHash: ROOT, extensions: [''] })).toThrow(CheckpointError)
})
