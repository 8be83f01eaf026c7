import { describe, expect, test } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'

/** STYLE.md's layer rules, checked by reading every import of every source file. */
const root = resolve(import.meta.dirname, '..')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(root, dir))) {
    const p = join(root, dir, name)
    if (statSync(p).isDirectory()) out.push(...sources(relative(root, p)))
    else if (/\.tsx?$/.test(name)) out.push(relative(root, p))
  }
  return out
}

function importsOf(file: string): Array<{ spec: string; typeOnly: boolean; target: string }> {
  const text = readFileSync(join(root, file), 'utf8')
  const found: Array<{ spec: string; typeOnly: boolean; target: string }> = []
  const re = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm
  for (const m of text.matchAll(re)) {
    const spec = (m[3] ?? m[4] ?? m[5])!
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec)) : spec
    found.push({ spec, typeOnly: Boolean(m[2]), target })
  }
  return found
}

describe('layers (STYLE.md)', () => {
  test('crypto/ imports nothing of the project', () => {
    for (const f of sources('crypto')) for (const i of importsOf(f)) {
      if (i.spec.startsWith('.')) expect(i.target.startsWith('crypto'), `${f} imports ${i.spec}`).toBe(true)
    }
  })
  test('audit/ imports only crypto/ and itself (its CLI may read files)', () => {
    for (const f of sources('audit')) for (const i of importsOf(f)) {
      if (i.spec.startsWith('.')) expect(/^(audit|crypto)\//.test(i.target), `${f} imports ${i.spec}`).toBe(true)
      if (!/\/(cli|_cli-[a-z]+)\.ts$/.test(f)) expect(i.spec, `${f} imports ${i.spec}`).not.toMatch(/^(bun:|node:fs|hono)/)
    }
  })
  test('server/domain/ imports nothing from bun:*, hono, server/db or server/http', () => {
    const files = sources('server/domain')
    expect(files.length).toBeGreaterThan(5)
    for (const f of files) for (const i of importsOf(f)) {
      expect(i.spec, `${f} imports ${i.spec}`).not.toMatch(/^(bun:|bun$|hono|@hono)/)
      expect(i.target, `${f} imports ${i.spec}`).not.toMatch(/^server\/(db|http|services)\//)
    }
  })
  test('kiosk/ imports only types from server/', () => {
    for (const f of sources('kiosk')) for (const i of importsOf(f)) {
      if (i.target.startsWith('server/')) expect(i.typeOnly, `${f} imports ${i.spec} (not type-only)`).toBe(true)
    }
  })
})
