// How the registrar's list reads a search box (server/domain/registration/_search.ts, decision 007).
import { describe, expect, test } from 'vitest'
import { readCandidateQuery } from '../server/domain/registration/index.ts'

const ID = '11010519900101001X'

describe('reading a candidate search', () => {
  test('an empty or blank search is no search', () => {
    expect(readCandidateQuery(undefined, true)).toBeNull()
    expect(readCandidateQuery('  ', true)).toBeNull()
  })

  test('up to 4 trailing ID characters are what a masked list shows, so anyone may search by them', () => {
    expect(readCandidateQuery('001x', false)).toMatchObject({ idTail: '001X', fullId: null })
    expect(readCandidateQuery('01001X', false)).toMatchObject({ idTail: null }) // more than the mask shows
  })

  test('a whole ID number is a search by ID only for a role that may read it in full', () => {
    expect(readCandidateQuery(ID, true)).toMatchObject({ fullId: ID })
    expect(readCandidateQuery(ID, false)).toMatchObject({ fullId: null, idTail: null })
    expect(readCandidateQuery('１１０１０５１９９００１０１００１ｘ', true)).toMatchObject({ fullId: ID }) // full-width input folded
  })

  test('names, training units and ticket numbers are read as typed (the ticket number upper-cased)', () => {
    expect(readCandidateQuery(' 王伟 ', false)).toEqual({ text: '王伟', idTail: null, fullId: null, ticket: '王伟' })
    expect(readCandidateQuery('t2026a00001', false)).toMatchObject({ ticket: 'T2026A00001' })
  })
})
