import { describe, expect, test } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'
import { ROOT, sources } from './_sources.ts'

/** STYLE.md's layer rules, checked by reading every import of every source file. */
const root = ROOT

function importsOf(file: string): Array<{ spec: string; typeOnly: boolean; target: string }> {
  const text = readFileSync(join(root, file), 'utf8')
  const found: Array<{ spec: string; typeOnly: boolean; target: string }> = []
  const re = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm
  for (const m of text.matchAll(re)) {
    const spec = (m[3] ?? m[4] ?? m[5])!
    const target = spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec)) : spec
    // `type X = import('…').Y` is a type-only import too.
    const typeAlias = m[5] !== undefined && /\btype\s+\w+\s*=\s*$/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index))
    found.push({ spec, typeOnly: Boolean(m[2]) || typeAlias, target })
  }
  return found
}

describe('layers (STYLE.md)', () => {
  test('crypto/ imports nothing of the project, and no node:* or bun:* (it bundles for the browser)', () => {
    for (const f of sources('crypto'))
      for (const i of importsOf(f)) {
        if (i.spec.startsWith('.')) expect(i.target.startsWith('crypto'), `${f} imports ${i.spec}`).toBe(true)
        expect(i.spec, `${f} imports ${i.spec}`).not.toMatch(/^(bun:|bun$|node:)/)
      }
  })
  test('crypto/index.ts and audit/index.ts bundle for the browser, with no node: module in the output', async () => {
    // Bun would bundle a browser polyfill of node:crypto (~900 KB) for any import of it, even a dependency's fallback.
    const result = await Bun.build({
      entrypoints: [join(root, 'crypto/index.ts'), join(root, 'audit/index.ts')],
      target: 'browser',
      metafile: true,
      throw: false,
    })
    expect(result.logs.map(String), 'build logs').toEqual([])
    expect(result.success).toBe(true)
    expect(Object.keys(result.metafile!.inputs).filter((m) => /^(node:|bun:)|^(crypto|buffer|stream|fs|path)$/.test(m))).toEqual([])
    expect(result.outputs.length).toBe(2)
    for (const o of result.outputs) {
      const js = await o.text()
      expect(js).toContain('sha256')
      expect(/["'`]node:[\w/]+["'`]|^\/\/ node:|\brequire\(|\bBun\./m.exec(js)?.[0] ?? null, o.path).toBeNull()
    }
  })
  test('audit/ imports only crypto/ and itself (its CLI may read files)', () => {
    for (const f of sources('audit'))
      for (const i of importsOf(f)) {
        // The CLI (a program, not the pure core) may plug in the server's native crypto; the core imports no node:* at all.
        const cli = /\/(cli|_cli-[a-z]+)\.ts$/.test(f)
        const target = cli && i.target === 'server/native-crypto.ts' ? 'crypto/native' : i.target
        if (i.spec.startsWith('.')) expect(/^(audit|crypto)\//.test(target), `${f} imports ${i.spec}`).toBe(true)
        if (!cli) expect(i.spec, `${f} imports ${i.spec}`).not.toMatch(/^(bun:|bun$|node:|hono)/)
      }
  })
  test('server/domain/ imports nothing from bun:*, hono, server/db or server/http', () => {
    const files = sources('server/domain')
    expect(files.length).toBeGreaterThan(5)
    for (const f of files)
      for (const i of importsOf(f)) {
        expect(i.spec, `${f} imports ${i.spec}`).not.toMatch(/^(bun:|bun$|hono|@hono)/)
        expect(i.target, `${f} imports ${i.spec}`).not.toMatch(/^server\/(db|http|services)\//)
      }
  })
  test('kiosk/ imports only types from server/, and code of the project only from crypto/index.ts and audit/index.ts', () => {
    for (const f of sources('kiosk'))
      for (const i of importsOf(f)) {
        if (i.target.startsWith('server/')) expect(i.typeOnly, `${f} imports ${i.spec} (not type-only)`).toBe(true)
        else if (i.spec.startsWith('.') && !i.target.startsWith('kiosk/') && !i.typeOnly)
          expect(['crypto/index.ts', 'audit/index.ts', 'audit/_actions.ts'], `${f} imports ${i.spec}`).toContain(i.target)
      }
  })
  test('server/domain/ is given the world: it reads no clock, randomness, environment or runtime', () => {
    for (const f of sources('server/domain')) {
      const text = readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      expect(
        /\bDate\.now\(|new Date\(\)|Math\.random\(|randomUUID|randomBytes|getRandomValues|\bprocess\.|\bBun\.|\brequire\(|\bimport\(/.exec(text)?.[0] ?? null,
        f,
      ).toBeNull()
    }
  })
  test("a module is used only through its index.ts: no file reaches into another module's _internal files", () => {
    // A module: crypto/, audit/, each server/domain/<area>/. Tests and benchmarks may reach internals (they test them).
    const moduleOf = (f: string): string | null => /^(crypto|audit)\//.exec(f)?.[1] ?? /^server\/domain\/[^/]+(?=\/)/.exec(f)?.[0] ?? null
    // The kiosk's action names predate audit/ bundling for the browser; they may go through audit/index.ts now.
    const allowed = new Set(['kiosk/src/_actions.ts -> audit/_actions.ts'])
    const reaches: string[] = []
    for (const dir of ['crypto', 'audit', 'server', 'kiosk'])
      for (const f of sources(dir))
        for (const i of importsOf(f)) {
          if (!i.spec.startsWith('.')) continue
          const target = moduleOf(i.target)
          if (target && target !== moduleOf(f) && i.target.split('/').pop()!.startsWith('_') && !allowed.has(`${f} -> ${i.target}`))
            reaches.push(`${f} -> ${i.target}`)
        }
    expect(reaches).toEqual([])
  })
  test("each module's index.ts only re-exports, and its other files start with an underscore", () => {
    const indexes = [
      'crypto',
      'audit',
      ...readdirSync(join(root, 'server/domain'))
        .filter((d) => statSync(join(root, 'server/domain', d)).isDirectory())
        .map((d) => `server/domain/${d}`),
    ]
    let lines = 0
    for (const dir of indexes) {
      for (const f of readdirSync(join(root, dir)))
        if (f !== 'index.ts' && f.endsWith('.ts') && !/^(cli|_)/.test(f)) expect(`${dir}/${f}`).toBe('an _internal file')
      const code = readFileSync(join(root, dir, 'index.ts'), 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/\{[^}]*\}/g, '{}')
      for (const line of code.split('\n').filter((l) => l.trim() !== '')) {
        expect(line, `${dir}/index.ts`).toMatch(/^export (type )?(\{\}|\* as \w+) from '\.\/_[\w-]+\.ts'$/)
        lines++
      }
    }
    expect(lines).toBeGreaterThan(indexes.length)
  })
})
