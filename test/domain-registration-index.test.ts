import { expect, test } from 'vitest'
import * as registration from '../server/domain/registration/index.ts'

// Its purity and its index's shape are checked for every domain module in layers.test.ts.

test('the public surface is the documented one', () => {
  expect(Object.keys(registration).sort()).toEqual([
    'CANDIDATE_FILTERS',
    'DEFAULT_IMPORT_LIMITS',
    'DEFAULT_PHOTO_LIMITS',
    'FIELD_LABELS',
    'IMPORT_COLUMNS',
    'LEVEL_NAMES',
    'PROVINCE_PREFIXES',
    'VISIBLE_ID_TAIL',
    'decodeCsvBytes',
    'formatCsvRecord',
    'inspectPhoto',
    'makeResidentId',
    'maskPhone',
    'maskResidentId',
    'matchHeader',
    'normaliseHeader',
    'parseCsv',
    'parseImport',
    'parseLevel',
    'parseResidentId',
    'readCandidateQuery',
    'residentIdCheckChar',
    'validateRegistration',
  ])
})
