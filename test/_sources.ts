/** The repository's TypeScript sources, for the tests that read code as text (layers, action names). */
import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')

/** Every .ts/.tsx file below `dir` (relative to the repository root), as root-relative paths. */
export function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    const p = join(ROOT, dir, name)
    if (statSync(p).isDirectory()) out.push(...sources(relative(ROOT, p)))
    else if (/\.tsx?$/.test(name)) out.push(relative(ROOT, p))
  }
  return out
}
