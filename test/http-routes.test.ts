import { describe, expect, test } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, sources } from './_sources.ts'

/** STYLE.md: one way to write a route (server/http/_route.ts), checked by reading the route files. */
const HTTP = 'server/http'
const code = (f: string) => readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
const features = readdirSync(join(ROOT, HTTP)).filter((d) => statSync(join(ROOT, HTTP, d)).isDirectory())

describe('routes (server/http)', () => {
  test('handlers read their input typed from the route schemas: no cast of validated input, no untyped handler', () => {
    const casts: string[] = []
    for (const f of sources(HTTP)) {
      const text = code(f)
      for (const m of text.matchAll(/\binput<[^>]*>\s*\(c,|c\.req\.valid\([^)]*\bas\b|handler as never|\bopenapi\([^)]*as never/g)) casts.push(`${f}: ${m[0]}`)
    }
    expect(casts).toEqual([])
  })

  test('each feature folder has its routes, its handlers and an index that registers them', () => {
    expect(features.length).toBeGreaterThanOrEqual(10)
    for (const d of features) {
      const files = readdirSync(join(ROOT, HTTP, d))
      expect(files, d).toEqual(expect.arrayContaining([`${d}.routes.ts`, `${d}.handlers.ts`, 'index.ts']))
      // routes declare (no handler code), handlers answer (no route declarations), index registers both.
      expect(code(`${HTTP}/${d}/${d}.routes.ts`), `${d}.routes.ts`).not.toMatch(/c\.req\.|c\.json\(|defineRoute\(/)
      expect(code(`${HTTP}/${d}/${d}.handlers.ts`), `${d}.handlers.ts`).not.toMatch(/\broute\(\{|defineRoute\(/)
      expect(code(`${HTTP}/${d}/index.ts`), `${d}/index.ts`).toMatch(/defineRoute\(app, table, routes\.\w+/)
    }
  })

  test('every route a feature declares is registered by its index', () => {
    for (const d of features) {
      const declared = [...code(`${HTTP}/${d}/${d}.routes.ts`).matchAll(/^export const (\w+) = (?:\([^)]*\) =>\s*)?route\(/gm)].map((m) => m[1])
      const registered = [...code(`${HTTP}/${d}/index.ts`).matchAll(/defineRoute\(\s*app,\s*table,\s*routes\.(\w+)(?:\([^)]*\))?,\s*handlers\.(\w+)/g)]
      expect(declared.length, d).toBeGreaterThan(0)
      expect(registered.map((m) => m[1]).sort(), d).toEqual([...declared].sort())
      for (const m of registered) expect(m[2], `${d}: routes.${m[1]} is answered by handlers.${m[1]}`).toBe(m[1])
    }
  })
})
