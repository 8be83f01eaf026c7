import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { PROVINCE_PREFIXES, makeResidentId, parseResidentId, residentIdCheckChar } from '../server/domain/registration/index.ts'
import type { IdError } from '../server/domain/registration/index.ts'

const TODAY = '2025-06-01'

function refusal(raw: string, today = TODAY): IdError {
  const r = parseResidentId(raw, today)
  if (r.ok) throw new Error(`expected ${raw} to be refused`)
  return r.error
}

/** A number with a correct check character over arbitrary 17 digits (even an impossible date or area). */
const withCheck = (first17: string) => first17 + residentIdCheckChar(first17)

describe('known-answer numbers', () => {
  test('the GB 11643-1999 example 11010519491231002X is valid: female, born 1949-12-31, area 110105', () => {
    expect(parseResidentId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { number: '11010519491231002X', birthDate: '1949-12-31', gender: 'female', areaCode: '110105' },
    })
  })

  test('a constructed Chongqing number, checked by hand, is valid and male', () => {
    // 5 0 0 1 0 3 1 9 9 0 0 3 0 7 1 2 3 × 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 35+0+0+5+0+12+2+9+54+0+0+27+0+35+8+8+6 = 201; 201 mod 11 = 3; '10X98765432'[3] = '9'
    expect(residentIdCheckChar('50010319900307123')).toBe('9')
    expect(makeResidentId('500103', '1990-03-07', 123)).toBe('500103199003071239')
    const r = parseResidentId('500103199003071239', TODAY)
    expect(r.ok && r.value).toEqual({ number: '500103199003071239', birthDate: '1990-03-07', gender: 'male', areaCode: '500103' })
  })

  test('check characters known from the standard: 11010519491231002 → X, 44052418800101001 → 4', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X')
    expect(residentIdCheckChar('44052418800101001')).toBe('4')
  })

  test("the standard's other example 440524188001010014 is refused: born 1880, before 1900 (id.birth_date)", () => {
    // Decision: the check character is right, but no exam candidate is born before 1900.
    expect(refusal('440524188001010014')).toMatchObject({ code: 'id.birth_date', reason: 'before_1900' })
  })

  test('the sequence decides gender: odd is male, even is female', () => {
    expect(parseResidentId(makeResidentId('110105', '1990-01-01', 1), TODAY)).toMatchObject({ value: { gender: 'male' } })
    expect(parseResidentId(makeResidentId('110105', '1990-01-01', 2), TODAY)).toMatchObject({ value: { gender: 'female' } })
  })
})

describe('normalisation', () => {
  test('a lower-case x is accepted and normalised to X', () => {
    expect(parseResidentId('11010519491231002x', TODAY)).toMatchObject({ ok: true, value: { number: '11010519491231002X' } })
  })

  test('surrounding and inner white space and full-width digits are normalised', () => {
    expect(parseResidentId(' 110105 19491231 002X\t', TODAY)).toMatchObject({ ok: true, value: { number: '11010519491231002X' } })
    expect(parseResidentId('１１０１０５１９４９１２３１００２ｘ', TODAY)).toMatchObject({ ok: true, value: { number: '11010519491231002X' } })
  })
})

describe('refusals', () => {
  test('a wrong check character is refused (id.check_digit) and the message names the expected one', () => {
    const e = refusal('110105194912310021')
    expect(e).toMatchObject({ code: 'id.check_digit', expected: 'X', actual: '1' })
    expect(e.message).toContain('X')
    expect(e.messageEn).toContain('"X"')
  })

  test('a wrong length is refused (id.length), with the length found', () => {
    expect(refusal('1101051949123100')).toMatchObject({ code: 'id.length', length: 16 })
    expect(refusal('11010519491231002X1')).toMatchObject({ code: 'id.length', length: 19 })
    expect(refusal('')).toMatchObject({ code: 'id.length', length: 0 })
  })

  test('an old 15-digit number is refused (id.length) with a message saying it is the old format', () => {
    const e = refusal('110105491231002')
    expect(e.code).toBe('id.length')
    expect(e.message).toContain('15位')
  })

  test('letters are refused (id.characters): anywhere but an X in last place', () => {
    expect(refusal('11010519491231002A').code).toBe('id.characters')
    expect(refusal('1101051949123100X2').code).toBe('id.characters')
    expect(refusal('A1010519491231002X').code).toBe('id.characters')
    expect(refusal('11010519491231-02X').code).toBe('id.characters')
  })

  test('a number a spreadsheet turned into 1.10105E+17 is refused (id.characters) with a hint about the column format', () => {
    const e = refusal('1.10105E+17')
    expect(e.code).toBe('id.characters')
    expect(e.message).toContain('科学计数法')
  })

  test('an unknown province prefix is refused (id.area); 11–65 provinces and 81, 82, 83 are known', () => {
    for (const prefix of ['00', '10', '16', '20', '39', '66', '70', '80', '84', '91', '99']) {
      expect(refusal(withCheck(`${prefix}010519491231002`))).toMatchObject({ code: 'id.area', prefix })
    }
    for (const prefix of ['11', '15', '23', '37', '46', '50', '54', '65', '71', '81', '82', '83']) {
      expect(parseResidentId(withCheck(`${prefix}010519491231002`), TODAY).ok).toBe(true)
    }
    expect(PROVINCE_PREFIXES.size).toBe(35)
  })

  test('a birth date that is not a real day is refused (id.birth_date): 30 February, month 13, day 00', () => {
    for (const date of ['19900230', '19901301', '19900100', '19000229']) {
      expect(refusal(withCheck(`110105${date}002`))).toMatchObject({ code: 'id.birth_date', reason: 'not_a_date' })
    }
  })

  test('29 February is accepted in a leap year (2000) and refused in a century non-leap year (1900)', () => {
    expect(parseResidentId(withCheck('11010520000229002'), TODAY).ok).toBe(true)
    expect(refusal(withCheck('11010519000229002')).code).toBe('id.birth_date')
  })

  test('a birth date after today is refused (id.birth_date); born today is accepted', () => {
    expect(refusal(withCheck('11010520250602002'))).toMatchObject({ code: 'id.birth_date', reason: 'in_future' })
    expect(parseResidentId(withCheck('11010520250601002'), TODAY).ok).toBe(true)
  })

  test('1900-01-01 is the earliest accepted birth date', () => {
    expect(parseResidentId(withCheck('11010519000101002'), TODAY).ok).toBe(true)
    expect(refusal(withCheck('11010518991231002'))).toMatchObject({ code: 'id.birth_date', reason: 'before_1900' })
  })

  test('checks run in a fixed order: length, characters, area, birth date, check character', () => {
    expect(refusal('99X').code).toBe('id.length')
    expect(refusal('9901051990023000AX').code).toBe('id.characters')
    expect(refusal('990105199002300021').code).toBe('id.area')
    expect(refusal('110105199002300021').code).toBe('id.birth_date')
  })

  test('every refusal carries a Chinese and an English message', () => {
    for (const raw of ['1', '11010519491231002A', '990105194912310021', '110105199002300021', '110105194912310021']) {
      const e = refusal(raw)
      expect(e.message).toMatch(/[\u4e00-\u9fff]/)
      expect(e.messageEn).toMatch(/^[\x20-\x7e]+$/)
    }
  })

  test('a malformed today is a programming error and throws', () => {
    expect(() => parseResidentId('11010519491231002X', '2025-6-1')).toThrow(RangeError)
  })
})

describe('makeResidentId', () => {
  const areas = [...PROVINCE_PREFIXES.keys()].map((p) => `${p}0102`)
  const dates = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-06-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))

  test('every number it makes parses back to the same area, birth date and gender', () => {
    fc.assert(
      fc.property(fc.constantFrom(...areas), dates, fc.integer({ min: 0, max: 999 }), (area, birth, seq) => {
        const r = parseResidentId(makeResidentId(area, birth, seq), TODAY)
        expect(r).toMatchObject({ ok: true, value: { areaCode: area, birthDate: birth, gender: seq % 2 ? 'male' : 'female' } })
      }),
    )
  })

  test('changing any one digit of a valid number makes it invalid (MOD 11-2 catches every single substitution)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...areas),
        dates,
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (area, birth, seq, position, shift) => {
          const id = makeResidentId(area, birth, seq)
          const chars = '0123456789X'
          const alphabet = position === 17 ? chars : chars.slice(0, 10)
          const replacement = alphabet[(alphabet.indexOf(id[position]!) + shift) % alphabet.length]!
          if (replacement === id[position]) return
          expect(parseResidentId(id.slice(0, position) + replacement + id.slice(position + 1), TODAY).ok).toBe(false)
        },
      ),
    )
  })

  test('swapping two adjacent different digits of the first 17 is caught by the check character', () => {
    fc.assert(
      fc.property(fc.constantFrom(...areas), dates, fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 15 }), (area, birth, seq, i) => {
        const id = makeResidentId(area, birth, seq)
        if (id[i] === id[i + 1]) return
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2)
        expect(residentIdCheckChar(swapped.slice(0, 17))).not.toBe(id[17])
      }),
    )
  })

  test('bad arguments throw: unknown area, impossible date, sequence out of range', () => {
    expect(() => makeResidentId('990101', '1990-01-01', 1)).toThrow(RangeError)
    expect(() => makeResidentId('11010', '1990-01-01', 1)).toThrow(RangeError)
    expect(() => makeResidentId('110101', '1990-02-30', 1)).toThrow(RangeError)
    expect(() => makeResidentId('110101', '1990-01-01', 1000)).toThrow(RangeError)
    expect(() => makeResidentId('110101', '1990-01-01', 1.5)).toThrow(RangeError)
  })
})
