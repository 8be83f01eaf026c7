/**
 * Theory scores from the marking system (R7.1: "score registration"), imported as CSV. The format is
 * docs/score-import-format.md; decoding (UTF-8 with or without BOM, GB18030) and the RFC 4180 reader are the
 * registration import's. All or nothing: one bad row imports nothing, and every problem is reported with its
 * spreadsheet row and column. An imported list is not yet a score: it counts only once a verifier has checked
 * and signed it (_verification.ts).
 */
import { decodeCsvBytes, matchHeader, normaliseHeader, parseCsv } from '../registration/index.ts'
import type { CsvEncoding, CsvError } from '../registration/index.ts'

export type TheoryImportField = 'ticketNumber' | 'name' | 'subject' | 'score'

/** The columns: canonical header first, then the other spellings marking systems use. */
export const THEORY_IMPORT_COLUMNS: ReadonlyArray<{ field: TheoryImportField; headers: readonly string[] }> = [
  { field: 'ticketNumber', headers: ['准考证号', '准考证号码', '准考证编号', '考号'] },
  { field: 'name', headers: ['姓名', '考生姓名'] },
  { field: 'subject', headers: ['科目', '考试科目', '科目名称'] },
  { field: 'score', headers: ['成绩', '分数', '得分', '考试成绩'] },
]

/** A subject a score may be imported for, as the occupation's level defines it (lifecycle `Subject`). */
export interface ImportSubject {
  id: string
  kind: 'theory' | 'practical' | 'other'
  name: string
  maxMark: number
}

/** A live ticket of the batch: whose it is and which subject's session it admits to. */
export interface ImportTicket {
  candidateId: string
  /** The holder's name as registered; null after erasure (such a row cannot be matched). */
  name: string | null
  subjectId: string
}

export type TheoryImportLimits = { maxBytes: number; maxRows: number }
export const DEFAULT_THEORY_IMPORT_LIMITS: TheoryImportLimits = { maxBytes: 5_000_000, maxRows: 50_000 }

export interface TheoryImportContext {
  /** The subjects of the batch's occupation and level. */
  subjects: readonly ImportSubject[]
  /** The batch's live tickets by number. */
  tickets: ReadonlyMap<string, ImportTicket>
  /** Ticket numbers that already have an imported or entered score: a change goes through an amendment with a reason. */
  alreadyScored?: ReadonlySet<string>
  limits?: Partial<TheoryImportLimits>
}

export type TheoryImportCode =
  | CsvError['code']
  | 'import.too_large'
  | 'import.encoding'
  | 'import.no_header'
  | 'import.missing_column'
  | 'import.duplicate_column'
  | 'import.too_many_rows'
  | 'import.no_rows'
  | 'import.extra_cells'
  | 'score_import.ticket_required'
  | 'score_import.unknown_ticket'
  | 'score_import.duplicate_ticket'
  | 'score_import.already_scored'
  | 'score_import.name_required'
  | 'score_import.name_mismatch'
  | 'score_import.subject_required'
  | 'score_import.unknown_subject'
  | 'score_import.practical_subject'
  | 'score_import.subject_mismatch'
  | 'score_import.score_required'
  | 'score_import.score_format'
  | 'score_import.score_range'

export interface TheoryImportError {
  /** The row a spreadsheet shows: the file's first line is row 1 (normally the header); 0 = the file as a whole. */
  row: number
  /** The header as written in the file (or the canonical header of a missing column); '' = the whole row or file. */
  column: string
  code: TheoryImportCode
  message: string
  messageEn: string
}

export interface TheoryScoreRow {
  row: number
  ticketNumber: string
  candidateId: string
  subjectId: string
  /** 0..maxMark, at most one decimal. */
  score: number
}

export type TheoryImportResult =
  | {
      ok: true
      rows: TheoryScoreRow[]
      encoding: CsvEncoding
      ignoredColumns: string[]
      /** Live tickets of the imported subjects with no row in the file (absent candidates, or a file cut short). */
      notInFile: string[]
    }
  | {
      ok: false
      errors: TheoryImportError[]
      /** Every ticket number in the file that is not a live ticket of the batch, in file order. */
      unknownTickets: string[]
    }

/**
 * Validate a whole score file; rows come back only when every row is valid.
 * Example: parseTheoryScores(bytes, { subjects, tickets }) → { ok: true, rows } | { ok: false, errors, unknownTickets }
 */
export function parseTheoryScores(bytes: Uint8Array, ctx: TheoryImportContext): TheoryImportResult {
  const limits = { ...DEFAULT_THEORY_IMPORT_LIMITS, ...ctx.limits }
  const fileError = (code: TheoryImportCode, message: string, messageEn: string): TheoryImportResult => ({
    ok: false,
    errors: [{ row: 0, column: '', code, message, messageEn }],
    unknownTickets: [],
  })
  if (bytes.length > limits.maxBytes) {
    return fileError(
      'import.too_large',
      `文件过大（${bytes.length}字节），上限为${limits.maxBytes}字节，请分批导入`,
      `The file is too large (${bytes.length} bytes); the limit is ${limits.maxBytes} bytes, import it in parts`,
    )
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fileError(
      'import.encoding',
      '文件是UTF-16“Unicode文本”，请在Excel中另存为“CSV UTF-8（逗号分隔）”',
      'The file is UTF-16 "Unicode text"; in Excel, save it as "CSV UTF-8 (comma delimited)"',
    )
  }
  const decoded = decodeCsvBytes(bytes)
  if (decoded.lossy) {
    return fileError(
      'import.encoding',
      '无法识别文件编码（既不是UTF-8也不是GB18030/GBK），请另存为“CSV UTF-8（逗号分隔）”',
      'The file is neither UTF-8 nor GB18030/GBK; save it as "CSV UTF-8 (comma delimited)"',
    )
  }
  const parsed = parseCsv(decoded.text)
  if (!parsed.ok) {
    const e = parsed.error
    return { ok: false, errors: [{ row: e.row, column: '', code: e.code, message: e.message, messageEn: e.messageEn }], unknownTickets: [] }
  }
  const records = parsed.value

  // The header: the registration import's matcher. Every column is required: the name and subject are what
  // catch a shifted or wrong file.
  const matched = matchHeader(records, THEORY_IMPORT_COLUMNS, '准考证号,姓名,科目,成绩')
  if (!matched.ok) return { ok: false, errors: matched.errors, unknownTickets: [] }
  const { header, headerIndex, fieldColumn, ignoredColumns } = matched
  const errors: TheoryImportError[] = []

  const dataRows: Array<{ row: number; cells: string[] }> = []
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!
    if (cells.some((c) => c.trim() !== '')) dataRows.push({ row: i + 1, cells })
  }
  if (dataRows.length === 0) return fileError('import.no_rows', '文件中没有成绩数据', 'The file has a header but no scores')
  if (dataRows.length > limits.maxRows) {
    return fileError(
      'import.too_many_rows',
      `文件有${dataRows.length}行成绩数据，上限为${limits.maxRows}行，请分批导入`,
      `The file has ${dataRows.length} score rows; the limit is ${limits.maxRows}, import it in parts`,
    )
  }

  const columnName = (field: TheoryImportField): string => header[fieldColumn.get(field)!]!.trim()
  const rows: TheoryScoreRow[] = []
  const unknownTickets: string[] = []
  const firstRowByTicket = new Map<string, number>()
  const importedSubjects = new Set<string>()
  for (const { row, cells } of dataRows) {
    if (cells.slice(header.length).some((c) => c.trim() !== '')) {
      errors.push({
        row,
        column: '',
        code: 'import.extra_cells',
        message: `第${row}行的单元格比表头多，可能有未加引号的逗号`,
        messageEn: `Row ${row} has more cells than the header; perhaps a comma that is not quoted`,
      })
      continue
    }
    const cell = (field: TheoryImportField): string => (cells[fieldColumn.get(field)!] ?? '').trim()
    const push = (field: TheoryImportField, code: TheoryImportCode, message: string, messageEn: string) =>
      errors.push({ row, column: columnName(field), code, message, messageEn })

    // The ticket: known, live, once in the file, not already scored.
    const ticketNumber = cell('ticketNumber').normalize('NFKC').replace(/\s+/g, '').toUpperCase()
    let ticket: ImportTicket | undefined
    if (ticketNumber === '') push('ticketNumber', 'score_import.ticket_required', '准考证号为空', 'The ticket number is empty')
    else {
      ticket = ctx.tickets.get(ticketNumber)
      const first = firstRowByTicket.get(ticketNumber)
      if (!ticket) {
        if (!unknownTickets.includes(ticketNumber)) unknownTickets.push(ticketNumber)
        push(
          'ticketNumber',
          'score_import.unknown_ticket',
          `准考证号“${ticketNumber}”不是本批次有效的准考证`,
          `The ticket number "${ticketNumber}" is not a live ticket of this batch`,
        )
      } else if (first !== undefined) {
        push('ticketNumber', 'score_import.duplicate_ticket', `准考证号与第${first}行重复`, `The same ticket number as row ${first}`)
      } else if (ctx.alreadyScored?.has(ticketNumber)) {
        push(
          'ticketNumber',
          'score_import.already_scored',
          '该准考证已有成绩；更改须经更正并说明理由',
          'This ticket already has a score; a change goes through an amendment with a reason',
        )
      }
      if (first === undefined) firstRowByTicket.set(ticketNumber, row)
    }

    // The name must be the ticket holder's: a shifted row or a wrong file shows here.
    const name = normaliseName(cell('name'))
    if (name === '') push('name', 'score_import.name_required', '姓名为空', 'The name is empty')
    else if (ticket && (ticket.name === null || normaliseName(ticket.name) !== name)) {
      push('name', 'score_import.name_mismatch', '姓名与该准考证的持有人不符', "The name is not the ticket holder's")
    }

    // The subject: one of the level's subjects, not the practical one, and the ticket's own.
    const subjectText = cell('subject')
    let subject: ImportSubject | undefined
    if (subjectText === '') push('subject', 'score_import.subject_required', '科目为空', 'The subject is empty')
    else {
      subject = subjectFor(subjectText, ctx.subjects)
      if (!subject) {
        push(
          'subject',
          'score_import.unknown_subject',
          `科目“${subjectText}”不是本职业等级的考试科目`,
          `"${subjectText}" is not a subject of this occupation and level`,
        )
      } else if (subject.kind === 'practical') {
        push(
          'subject',
          'score_import.practical_subject',
          '操作技能成绩由考评员在考场平板上签名录入，不能导入',
          'Practical scores are signed by the examiner on the kiosk; they cannot be imported',
        )
        subject = undefined
      } else if (ticket && ticket.subjectId !== subject.id) {
        push('subject', 'score_import.subject_mismatch', `该准考证不是“${subject.name}”科目的准考证`, `This ticket is not for the subject "${subject.name}"`)
      }
    }

    // The score: a number with at most one decimal, within 0..the subject's maximum mark.
    const scoreText = cell('score').normalize('NFKC')
    let score: number | null = null
    if (scoreText === '') push('score', 'score_import.score_required', '成绩为空', 'The score is empty')
    else {
      score = readScore(scoreText)
      if (score === null) {
        push(
          'score',
          'score_import.score_format',
          `成绩“${scoreText}”不是数字（最多一位小数）；缺考不导入，由考场签到记录认定`,
          `The score "${scoreText}" is not a number with at most one decimal; leave absent candidates out (the door's attendance decides)`,
        )
      } else if (subject && score > subject.maxMark) {
        push('score', 'score_import.score_range', `成绩应在0到${subject.maxMark}分之间`, `The score must be from 0 to ${subject.maxMark}`)
        score = null
      }
    }

    if (ticket && subject && score !== null && ticket.subjectId === subject.id) {
      rows.push({ row, ticketNumber, candidateId: ticket.candidateId, subjectId: subject.id, score })
      importedSubjects.add(subject.id)
    }
  }

  if (errors.length > 0) {
    const headerPosition = new Map([...fieldColumn.values()].map((index) => [header[index]!.trim(), index]))
    const position = (column: string) => (column === '' ? -1 : (headerPosition.get(column) ?? header.length))
    errors.sort((a, b) => a.row - b.row || position(a.column) - position(b.column))
    return { ok: false, errors, unknownTickets }
  }
  const notInFile = [...ctx.tickets]
    .filter(([number, t]) => importedSubjects.has(t.subjectId) && !firstRowByTicket.has(number))
    .map(([number]) => number)
    .sort()
  return { ok: true, rows, encoding: decoded.encoding, ignoredColumns, notInFile }
}

/**
 * A score as written: digits with at most one decimal ("85", "85.5", "85.0", ".5" is refused). Returns the
 * number, or null. Negative numbers and exponents are refused by the pattern.
 * Example: readScore('72.5') → 72.5; readScore('72.55') → null
 */
export function readScore(text: string): number | null {
  const m = /^(\d{1,4})(?:\.(\d))?$/.exec(text.trim())
  if (!m) return null
  return Number(m[1]) + (m[2] === undefined ? 0 : Number(m[2]) / 10)
}

const MIDDLE_DOTS = /[\u2022\u2027\u30FB\uFF0E\uFF65\u2219\u22C5]/g
function normaliseName(name: string): string {
  return name.normalize('NFKC').replace(MIDDLE_DOTS, '·').replace(/\s+/g, '').trim()
}

// A subject is named by its own name, or by the word for its kind (理论/理论知识 for the theory subject).
const KIND_WORDS: Record<ImportSubject['kind'], readonly string[]> = {
  theory: ['理论', '理论知识', '理论知识考试', '理论考试'],
  practical: ['实操', '操作技能', '操作技能考核', '技能操作', '实际操作'],
  other: ['综合评审', '综合'],
}
function subjectFor(text: string, subjects: readonly ImportSubject[]): ImportSubject | undefined {
  const t = normaliseHeader(text)
  return subjects.find((s) => normaliseHeader(s.name) === t) ?? subjects.find((s) => KIND_WORDS[s.kind].some((w) => w === t))
}
