import { expect, test } from 'vitest'
import { encodeEvent, formatExportLine, formatExportTrailer, GENESIS_PREV, type LogEvent } from '../audit/index.ts'
import { toBase64, utf8 } from '../crypto/index.ts'

const EVENT: LogEvent = {
  v: 1,
  index: 0,
  prev: GENESIS_PREV,
  time: '2026-11-25T04:00:00.000Z',
  actor: { system: 'custody-server' },
  action: 'log.started',
  outcome: 'ok',
  subject: null,
  where: null,
  data: { note: 'a\nb' },
}

test('an export line is index, base64 bytes, then the same event as JSON (known answer)', () => {
  const bytes = encodeEvent(EVENT)
  const line = formatExportLine(0, bytes)
  expect(line).toBe(
    '{"index":0,"bytes":"eyJhY3Rpb24iOiJsb2cuc3RhcnRlZCIsImFjdG9yIjp7InN5c3RlbSI6ImN1c3RvZHktc2VydmVyIn0sImRhdGEiOnsibm90ZSI6ImFcbmIifSwiaW5kZXgiOjAsIm91dGNvbWUiOiJvayIsInByZXYiOiIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIiwic3ViamVjdCI6bnVsbCwidGltZSI6IjIwMjYtMTEtMjVUMDQ6MDA6MDAuMDAwWiIsInYiOjEsIndoZXJlIjpudWxsfQ==",' +
      '"event":{"action":"log.started","actor":{"system":"custody-server"},"data":{"note":"a\\nb"},"index":0,"outcome":"ok","prev":"0000000000000000000000000000000000000000000000000000000000000000","subject":null,"time":"2026-11-25T04:00:00.000Z","v":1,"where":null}}',
  )
  expect(line).not.toContain('\n') // one line, even when the event holds a newline
  expect(JSON.parse(line)).toEqual({ index: 0, bytes: toBase64(bytes), event: EVENT })
})

test('bytes that are not canonical JSON are exported without "event", never dropped', () => {
  const garbage = Uint8Array.of(0xff, 0x00)
  expect(formatExportLine(3, garbage)).toBe(`{"index":3,"bytes":"${toBase64(garbage)}"}`)
  const pretty = utf8('{\n"a": 1}')
  expect(formatExportLine(4, pretty)).toBe(`{"index":4,"bytes":"${toBase64(pretty)}"}`)
})

test('the trailer carries the signed checkpoint and the vkeys', () => {
  expect(formatExportTrailer('log\n0\nAA==\n\n— log AAAA\n', ['log+01020304+AQ=='])).toBe(
    '{"checkpoint":"log\\n0\\nAA==\\n\\n— log AAAA\\n","keys":["log+01020304+AQ=="]}',
  )
})
