import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { formatCsvRecord, parseCsv } from '../server/domain/registration/index.ts'

const rows = (text: string) => {
  const r = parseCsv(text)
  if (!r.ok) throw new Error(r.error.code)
  return r.value
}

describe('RFC 4180 reading', () => {
  test('quoted fields may hold commas, doubled quotes and line breaks', () => {
    expect(rows('a,"b,c","say ""hi""","line1\nline2"\r\n1,2,3,4')).toEqual([
      ['a', 'b,c', 'say "hi"', 'line1\nline2'],
      ['1', '2', '3', '4'],
    ])
  })

  test('CRLF, LF and a lone CR all end a record; a final line break does not start one', () => {
    expect(rows('a,b\r\nc,d\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(rows('a,b\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(rows('a,b\rc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  test('empty cells and empty lines are kept (a spreadsheet counts them as rows)', () => {
    expect(rows(',a,\n\nb')).toEqual([['', 'a', ''], [''], ['b']])
    expect(rows('""')).toEqual([['']])
    expect(rows('')).toEqual([])
  })

  test('an unterminated quote is refused (csv.unterminated_quote) with the row and line where it opened', () => {
    expect(parseCsv('h1,h2\n"multi\nline",x\n"open,y\nz')).toMatchObject({
      ok: false,
      error: { code: 'csv.unterminated_quote', row: 3, line: 4 },
    })
  })

  test('a quote inside an unquoted cell, or text after a closing quote, is refused (csv.stray_quote)', () => {
    expect(parseCsv('a,b"c')).toMatchObject({ ok: false, error: { code: 'csv.stray_quote', row: 1 } })
    expect(parseCsv('a\n"b"c')).toMatchObject({ ok: false, error: { code: 'csv.stray_quote', row: 2, line: 2 } })
  })

  test('formatCsvRecord then parseCsv gives back the cells (any text, any number of cells)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '张', ',', '"', '\n', '\r\n', ' ', 'x') })
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (records) => {
        const text = records.map(formatCsvRecord).join('\r\n')
        expect(rows(text)).toEqual(records)
      }),
      { examples: [[[['a'], ['']]], [[['']]]] },
    )
  })
})
