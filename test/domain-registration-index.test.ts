import { expect, test } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as registration from '../server/domain/registration/index.ts'

const DIR = join(import.meta.dirname, '../server/domain/registration')
const sources = readdirSync(DIR).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, text: readFileSync(join(DIR, f), 'utf8') }))

test('the registration domain is pure: it imports only its own files and ../_result.ts, and reads no clock or randomness', () => {
  expect(sources.length).toBeGreaterThan(5)
  for (const { file, text } of sources) {
    for (const [, spec] of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
      expect([file, spec]).toEqual([file, expect.stringMatching(/^(\.\/_[\w-]+\.ts|\.\.\/_result\.ts)$/)])
    }
    expect([file, /\bDate\.now\(|new Date\(|Math\.random\(|\bprocess\.|\bBun\.|\brequire\(|\bimport\(/.test(text)]).toEqual([file, false])
  }
})

test('index.ts only re-exports; internal files start with an underscore', () => {
  const index = sources.find((s) => s.file === 'index.ts')!.text
  const code = index.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\{[^}]*\}/g, '{}')
  for (const line of code.split('\n').filter((l) => l.trim() !== '')) expect(line).toMatch(/^export (type )?\{\} from '\.\/_[\w-]+\.ts'$/)
  for (const { file } of sources) if (file !== 'index.ts') expect(file.startsWith('_')).toBe(true)
})

test('the public surface is the documented one', () => {
  expect(Object.keys(registration).sort()).toEqual([
    'DEFAULT_IMPORT_LIMITS', 'DEFAULT_PHOTO_LIMITS', 'FIELD_LABELS', 'IMPORT_COLUMNS', 'LEVEL_NAMES', 'PROVINCE_PREFIXES',
    'decodeCsvBytes', 'formatCsvRecord', 'inspectPhoto', 'makeDemoPhotoPng', 'makeResidentId', 'maskPhone', 'maskResidentId', 'parseCsv', 'parseImport',
    'parseLevel', 'parseResidentId', 'residentIdCheckChar', 'validateRegistration',
  ])
})
