/**
 * A strict RFC 4180 reader: comma separated, fields optionally in double quotes, a doubled quote inside
 * quotes is one quote, quoted fields may hold commas and line breaks. CRLF, LF and a lone CR all end a
 * record. A quote anywhere else is refused rather than guessed at: a half-quoted file is a broken file.
 */
import { ok, refuse } from '../_result.ts'
import type { Result } from '../_result.ts'

export type CsvError = {
  code: 'csv.unterminated_quote' | 'csv.stray_quote'
  /** 1-based record number, which is the row a spreadsheet shows (the header is row 1). */
  row: number
  /** 1-based physical line in the file, which differs from `row` after quoted line breaks. */
  line: number
  message: string
  messageEn: string
}

const QUOTE = 0x22,
  COMMA = 0x2c,
  CR = 0x0d,
  LF = 0x0a

/**
 * Records as arrays of cells. A final line break does not start a record; an empty line is a record
 * with one empty cell (a spreadsheet counts it as a row).
 * Example: parseCsv('a,"b,""c"""\r\n1,2') → ok [['a', 'b,"c"'], ['1', '2']]
 */
export function parseCsv(text: string): Result<string[][], CsvError> {
  const records: string[][] = []
  const n = text.length
  let cells: string[] = []
  let line = 1
  let i = 0
  if (n === 0) return ok(records)

  for (;;) {
    // At the start of a field.
    let cell: string
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line
      let value = ''
      let from = i + 1
      for (;;) {
        const q = text.indexOf('"', from)
        if (q === -1) {
          return refuse(
            error(
              'csv.unterminated_quote',
              records.length + 1,
              startLine,
              `第${startLine}行开始的引号没有闭合`,
              `The quote opened on line ${startLine} is never closed`,
            ),
          )
        }
        line += countLineBreaks(text, from, q)
        value += text.slice(from, q)
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"'
          from = q + 2
          continue
        }
        i = q + 1
        break
      }
      const next = i < n ? text.charCodeAt(i) : -1
      if (next !== -1 && next !== COMMA && next !== CR && next !== LF) {
        return refuse(
          error(
            'csv.stray_quote',
            records.length + 1,
            line,
            `第${line}行：引号后面只能是逗号或换行`,
            `Line ${line}: a closing quote must be followed by a comma or a line break`,
          ),
        )
      }
      cell = value
    } else {
      const start = i
      while (i < n) {
        const c = text.charCodeAt(i)
        if (c === COMMA || c === CR || c === LF) break
        if (c === QUOTE) {
          return refuse(
            error(
              'csv.stray_quote',
              records.length + 1,
              line,
              `第${line}行：未加引号的单元格中出现了引号`,
              `Line ${line}: a quote inside a cell that is not quoted`,
            ),
          )
        }
        i++
      }
      cell = text.slice(start, i)
    }
    cells.push(cell)

    // After a field: a comma, a line break, or the end.
    if (i >= n) {
      records.push(cells)
      break
    }
    const c = text.charCodeAt(i)
    if (c === COMMA) {
      i++
      continue
    }
    // A line break ends the record: CRLF, LF or a lone CR.
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
    line++
    records.push(cells)
    cells = []
    if (i >= n) break
  }
  return ok(records)
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k)
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++
  }
  return count
}

function error(code: CsvError['code'], row: number, line: number, message: string, messageEn: string): CsvError {
  return { code, row, line, message, messageEn }
}

/** One record as RFC 4180 text (quoting only when needed), for tests and exports. */
export function formatCsvRecord(cells: readonly string[]): string {
  // A record of one empty cell is written "" so that it cannot be mistaken for a final line break.
  if (cells.length === 1 && cells[0] === '') return '""'
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')
}
