// Offline verifier CLI: `bun audit/cli.ts EXPORT_FILE [--key VKEY ...] [--witness VKEY ...]`.
// Exit 0 with one summary line; 1 with "FAIL at entry N: <code>: <reason>"; 2 on usage errors.
// Reads the file as a stream, so a million-entry export needs O(log n) memory.
import { access, constants } from 'node:fs/promises'
import { ExportVerifier, parseCosignerVkey, parseVkey, type VerifyResult } from './index.ts'
import { forEachLine } from './_cli-lines.ts'
import { joinSlice, splitPoint, verifySliceInWorker } from './_cli-slices.ts'
// The CLI is a program, not the pure core: it plugs in the native fast path (as does its worker).
import { installNativeCrypto } from '../server/native-crypto.ts'

const USAGE = 'usage: bun audit/cli.ts EXPORT_FILE [--key VKEY ...] [--witness VKEY ...] [--jobs 1|2]'

type Args = { file: string; keys: string[]; witnesses: string[]; jobs: number } | { error: string } | { help: true }

/** Parses the command line (without the runtime and script). `parseArgs(['log.jsonl', '--key', vkey])` */
export function parseArgs(argv: readonly string[]): Args {
  const keys: string[] = []
  const witnesses: string[] = []
  const files: string[] = []
  let jobs = 2
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--help' || a === '-h') return { help: true }
    if (a === '--key' || a.startsWith('--key=')) {
      const value = a === '--key' ? argv[++i] : a.slice('--key='.length)
      if (!value) return { error: '--key needs a VKEY' }
      keys.push(value)
    } else if (a === '--witness' || a.startsWith('--witness=')) {
      // A witness whose cosignature the checkpoint must carry (c2sp.org/tlog-cosignature).
      const value = a === '--witness' ? argv[++i] : a.slice('--witness='.length)
      if (!value) return { error: '--witness needs the witness VKEY' }
      witnesses.push(value)
    } else if (a === '--jobs') {
      jobs = Number(argv[++i])
      if (!(jobs === 1 || jobs === 2)) return { error: '--jobs takes 1 or 2' }
    } else if (a.startsWith('-')) {
      // HOOK(--data DIR): the lead engineer adds the store mode here: build export lines from the
      // SQLite store (server side, not in audit/) and pass them to verifyLines(lines, { trustedKeys }).
      return { error: `unknown option ${a}` }
    } else {
      files.push(a)
    }
  }
  if (files.length !== 1) return { error: files.length === 0 ? 'missing EXPORT_FILE' : 'only one EXPORT_FILE' }
  return { file: files[0]!, keys, witnesses, jobs }
}

/** The one line the CLI prints for a verdict. */
export function report(r: VerifyResult): string {
  if (r.ok) return r.summary
  return `FAIL at ${r.index === null ? 'checkpoint' : `entry ${r.index}`}: ${r.code}: ${r.reason}`
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  installNativeCrypto()
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
  for (const w of args.witnesses) {
    try {
      parseCosignerVkey(w)
    } catch (err) {
      console.error(`invalid --witness ${w}: ${(err as Error).message}`)
      return 2
    }
  }
  try {
    await access(args.file, constants.R_OK)
  } catch {
    console.error(`cannot read ${args.file}`)
    return 2
  }
  const verifier = new ExportVerifier({ ...(args.keys.length > 0 ? { trustedKeys: args.keys } : {}), witnessKeys: args.witnesses })
  const split = args.jobs > 1 ? await splitPoint(args.file) : null
  // A large export is checked in two slices at once (this machine has two cores): the second slice in a
  // worker, the first here; then the seam is checked and the second slice's leaves join the tree.
  const second = split === null ? null : verifySliceInWorker(args.file, split.at, split.size)
  forEachLine(args.file, split && { start: 0, end: split.at }, (buf, start, end) => verifier.pushBytes(buf, start, end) !== undefined)
  if (second) {
    const slice = await second
    if (!verifier.failed) joinSlice(verifier, slice)
  }
  const result = verifier.finish()
  console.log(report(result))
  return result.ok ? 0 : 1
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2))
