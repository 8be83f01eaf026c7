import { describe, expect, test } from 'vitest'
import { maskPhone, maskResidentId } from '../server/domain/registration/index.ts'

describe('lists show personal data masked', () => {
  test('a resident ID number keeps its first and last 4 characters', () => {
    expect(maskResidentId('50010319900307955X')).toBe('5001**********955X')
    expect(maskResidentId('123')).toBe('***')
  })

  test('a phone number keeps its first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('023-61234567')).toBe('023*****4567')
    expect(maskPhone('12345')).toBe('***45')
  })
})
