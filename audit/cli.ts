// Offline verifier CLI: `bun audit/cli.ts EXPORT_FILE [--key VKEY ...]`.
// Exit 0 with one summary line; 1 with "FAIL at entry N: <code>: <reason>"; 2 on usage errors.
// Reads the file as a stream, so a million-entry export needs O(log n) memory.
import { createReadStream } from 'node:fs'
import { access, constants } from 'node:fs/promises'
import { ExportVerifier, parseVkey, type VerifyResult } from './index.ts'

const USAGE = 'usage: bun audit/cli.ts EXPORT_FILE [--key VKEY ...]'

type Args = { file: string; keys: string[] } | { error: string } | { help: true }

/** Parses the command line (without the runtime and script). `parseArgs(['log.jsonl', '--key', vkey])` */
export function parseArgs(argv: readonly string[]): Args {
  const keys: string[] = []
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--help' || a === '-h') return { help: true }
    if (a === '--key' || a.startsWith('--key=')) {
      const value = a === '--key' ? argv[++i] : a.slice('--key='.length)
      if (!value) return { error: '--key needs a VKEY' }
      keys.push(value)
    } else if (a.startsWith('-')) {
      // HOOK(--data DIR): the lead engineer adds the store mode here: build export lines from the
      // SQLite store (server side, not in audit/) and pass them to verifyLines(lines, { trustedKeys }).
      return { error: `unknown option ${a}` }
    } else {
      files.push(a)
    }
  }
  if (files.length !== 1) return { error: files.length === 0 ? 'missing EXPORT_FILE' : 'only one EXPORT_FILE' }
  return { file: files[0]!, keys }
}

/** Lines of a file in batches, decoded as UTF-8 (invalid bytes become U+FFFD and fail verification). */
async function* lineBatches(path: string): AsyncGenerator<string[]> {
  const decoder = new TextDecoder()
  let rest = ''
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const lines = (rest + decoder.decode(chunk as Uint8Array, { stream: true })).split('\n')
    rest = lines.pop()!
    yield lines
  }
  const last = rest + decoder.decode()
  if (last.length > 0) yield [last]
}

/** The one line the CLI prints for a verdict. */
export function report(r: VerifyResult): string {
  if (r.ok) return r.summary
  return `FAIL at ${r.index === null ? 'checkpoint' : `entry ${r.index}`}: ${r.code}: ${r.reason}`
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv)
  if ('help' in args) {
    console.log(USAGE)
    return 0
  }
  if ('error' in args) {
    console.error(`${args.error}\n${USAGE}`)
    return 2
  }
  for (const k of args.keys) {
    try {
      parseVkey(k)
    } catch (err) {
      console.error(`invalid --key ${k}: ${(err as Error).message}`)
      return 2
    }
  }
  try {
    await access(args.file, constants.R_OK)
  } catch {
    console.error(`cannot read ${args.file}`)
    return 2
  }
  const verifier = new ExportVerifier(args.keys.length > 0 ? { trustedKeys: args.keys } : {})
  read: for await (const batch of lineBatches(args.file)) {
    for (const line of batch) if (verifier.push(line)) break read
  }
  const result = verifier.finish()
  console.log(report(result))
  return result.ok ? 0 : 1
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
