/**
 * Paper encryption at size. A 1 GiB generated paper (1 MiB pieces of random bytes, as an
 * upload arrives) is encrypted by encryptStream (AES-256-GCM, node:crypto, 64 KiB chunks) into a
 * temp file, then decrypted from that file by decryptStream; throughput in MB/s (10^6 bytes) and
 * peak RSS of the whole process (sampled every MiB) are measured for each pass. The encrypt figure
 * is timed on a separate pass into a counting sink, so the disk is not in it; the decrypt figure
 * includes reading the file (as the server will), and reading it alone is reported beside it.
 * Baseline, same run: `openssl speed -evp aes-256-gcm -bytes 1048576 -seconds 3` (and with
 * -decrypt). Targets: at least 1/4 of openssl's rate; peak RSS under 200 MB. Information rows:
 * noble's pure-JS XChaCha20-Poly1305 and AES-256-GCM on 64 MiB, the reason the bulk path is native.
 * Run alone: `npx bun bench/paper-crypto.ts [MiB]`.
 */
import { spawnSync } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { gcm } from '@noble/ciphers/aes.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { decryptStream, encryptStream, generateDataKey } from '../crypto/index.ts'
import { withTempDir } from './_fixtures.ts'
import { type Benchmark, type Row, fmt, formatTable, row } from './_report.ts'

const BENCH = 'paper'
const MiB = 2 ** 20
const SIZE = 1024 * MiB
const NOBLE_SAMPLE = 64 * MiB

interface OpensslRate {
  mbps: number
  command: string
}

/** `openssl speed` for AES-256-GCM on 1 MiB blocks, in MB/s; null (with the reason) when openssl is missing or says nothing usable. */
function opensslSpeed(decrypt: boolean): OpensslRate | string {
  const args = ['speed', '-evp', 'aes-256-gcm', ...(decrypt ? ['-decrypt'] : []), '-bytes', '1048576', '-seconds', '3']
  const command = `openssl ${args.join(' ')}`
  const r = spawnSync('openssl', args, { encoding: 'utf8' })
  if (r.error) return `${command}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'openssl is not installed' : r.error.message}`
  // "AES-256-GCM    4535414.83k": thousands of bytes per second.
  const m = /^AES-256-GCM\s+([\d.]+)k\s*$/m.exec(r.stdout)
  if (r.status !== 0 || !m) return `${command}: no AES-256-GCM figure in its output (exit ${r.status})`
  return { mbps: (Number(m[1]) * 1000) / 1e6, command }
}

async function* generated(total: number, piece: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < total; at += piece.length) yield piece.subarray(0, Math.min(piece.length, total - at))
}

/**
 * Consumes `stream`, calling `each` per item; returns seconds and peak RSS (MB) sampled every ~MiB.
 * The heap is collected first, so one pass's garbage is not charged to the next.
 */
async function drain(stream: AsyncIterable<Uint8Array>, each: (c: Uint8Array) => void): Promise<{ seconds: number; peakRss: number }> {
  if (typeof Bun !== 'undefined') Bun.gc(true)
  let peak = process.memoryUsage().rss
  let sinceSample = 0
  const t0 = performance.now()
  for await (const c of stream) {
    each(c)
    sinceSample += c.length
    if (sinceSample >= MiB) {
      sinceSample = 0
      peak = Math.max(peak, process.memoryUsage().rss)
    }
  }
  const seconds = (performance.now() - t0) / 1000
  return { seconds, peakRss: Math.max(peak, process.memoryUsage().rss) / 1e6 }
}

/** MB/s of a pure-JS AEAD sealing 64 KiB chunks, for the decision record's comparison. */
function nobleRate(seal: (key: Uint8Array, nonce: Uint8Array, chunk: Uint8Array) => Uint8Array, nonceLength: number): number {
  const key = randomFillSync(new Uint8Array(32))
  const chunk = randomFillSync(new Uint8Array(65536))
  const nonce = new Uint8Array(nonceLength)
  for (let i = 0; i < 16; i++) seal(key, nonce, chunk) // warm-up
  const t0 = performance.now()
  for (let done = 0; done < NOBLE_SAMPLE; done += chunk.length) seal(key, nonce, chunk)
  return NOBLE_SAMPLE / 1e6 / ((performance.now() - t0) / 1000)
}

export async function benchPaperCrypto(progress: (m: string) => void = () => {}, size = SIZE): Promise<Row[]> {
  const label = size % (1024 * MiB) === 0 ? `${size / (1024 * MiB)} GiB` : `${fmt(size / MiB)} MiB`
  progress('openssl speed -evp aes-256-gcm -bytes 1048576 -seconds 3 (encrypt, then -decrypt)…')
  const sslEnc = opensslSpeed(false)
  const sslDec = opensslSpeed(true)
  const baseline = (r: OpensslRate | string, what: string) => (typeof r === 'string' ? undefined : { name: `openssl speed ${what}`, value: r.mbps })
  const sslNotes = [sslEnc, sslDec].filter((r): r is string => typeof r === 'string')
  for (const r of [sslEnc, sslDec]) progress(typeof r === 'string' ? `  ${r}` : `  ${r.command}: ${fmt(r.mbps)} MB/s`)

  const dataKey = generateDataKey()
  const piece = randomFillSync(new Uint8Array(MiB))
  const rssBefore = process.memoryUsage().rss / 1e6

  return withTempDir('paper', async (dir) => {
    // Encrypt, timed, into a counting sink: the cipher and the stream machinery, not the disk.
    progress(`encrypting ${label} (64 KiB chunks)…`)
    let produced = 0
    const enc = await drain(encryptStream(generated(size, piece), dataKey, { fileId: 'bench-paper' }), (c) => {
      produced += c.length
    })
    progress(`  ${fmt(size / 1e6 / enc.seconds)} MB/s, peak RSS ${fmt(enc.peakRss)} MB`)

    // The ciphertext to a temp file (not timed), then decrypted from it, timed.
    const path = join(dir, 'paper.enc')
    const fd = openSync(path, 'w')
    let written = 0
    try {
      const w = await drain(encryptStream(generated(size, piece), dataKey, { fileId: 'bench-paper' }), (c) => {
        written += writeSync(fd, c)
      })
      progress(`  written to a temp file in ${fmt(w.seconds)} s (${fmt(written / 1e6)} MB)`)
    } finally {
      closeSync(fd)
    }
    if (written !== produced) throw new Error(`the two encryptions differ in length: ${produced} and ${written}`)

    const readOnly = await drain(createReadStream(path, { highWaterMark: MiB }), () => {})
    progress(`decrypting ${label} from the file (reading it alone: ${fmt(written / 1e6 / readOnly.seconds)} MB/s)…`)
    let offset = 0
    let checked = 0
    const dec = await drain(decryptStream(createReadStream(path, { highWaterMark: MiB }), dataKey), (p) => {
      // Spot checks (every 64th chunk in full): the plaintext is `piece` repeated.
      if ((offset / 65536) % 64 === 0) {
        const expected = piece.subarray(offset % MiB, (offset % MiB) + p.length)
        if (Buffer.compare(p, expected) !== 0) throw new Error(`decrypted bytes differ at ${offset}`)
        checked++
      }
      offset += p.length
    })
    if (offset !== size) throw new Error(`decrypted ${offset} bytes of ${size}`)
    progress(`  ${fmt(size / 1e6 / dec.seconds)} MB/s, peak RSS ${fmt(dec.peakRss)} MB (${checked} chunks compared in full)`)

    progress(`noble (pure JS) on ${NOBLE_SAMPLE / MiB} MiB, for comparison…`)
    const xchacha = nobleRate((k, n, c) => xchacha20poly1305(k, n).encrypt(c), 24)
    const nobleGcm = nobleRate((k, n, c) => gcm(k, n).encrypt(c), 12)
    progress(`  XChaCha20-Poly1305 ${fmt(xchacha)} MB/s, AES-256-GCM ${fmt(nobleGcm)} MB/s`)

    const overhead = `${fmt(((written - size) / size) * 100)}% ciphertext overhead (16-byte tag per 64 KiB chunk, header, final-chunk padding)`
    const encBase = baseline(sslEnc, 'encrypt')
    const decBase = baseline(sslDec, '-decrypt')
    return [
      row({
        bench: BENCH,
        name: `paper: encrypt ${label} (AES-256-GCM, node:crypto)`,
        figure: size / 1e6 / enc.seconds,
        unit: 'MB/s',
        ...(encBase ? { baseline: encBase } : {}),
        targets: [{ ratioAtLeast: 0.25 }],
        notes: [`encryptStream, 1 MiB source pieces, 64 KiB chunks, into a counting sink; ${overhead}`, ...sslNotes],
      }),
      row({
        bench: BENCH,
        name: `paper: decrypt ${label} from a file`,
        figure: size / 1e6 / dec.seconds,
        unit: 'MB/s',
        ...(decBase ? { baseline: decBase } : {}),
        targets: [{ ratioAtLeast: 0.25 }],
        notes: [
          `decryptStream over fs.createReadStream (1 MiB reads), every chunk authenticated before it is yielded; reading the file alone: ${fmt(written / 1e6 / readOnly.seconds)} MB/s`,
        ],
      }),
      row({
        bench: BENCH,
        name: `paper: peak RSS encrypting ${label}`,
        figure: enc.peakRss,
        unit: 'MB',
        targets: [{ below: 200 }],
        notes: [`whole process, sampled every MiB; ${fmt(rssBefore)} MB before the first pass`],
      }),
      row({ bench: BENCH, name: `paper: peak RSS decrypting ${label}`, figure: dec.peakRss, unit: 'MB', targets: [{ below: 200 }] }),
      row({
        bench: BENCH,
        name: 'noble XChaCha20-Poly1305 (pure JS)',
        figure: xchacha,
        unit: 'MB/s',
        ...(encBase ? { baseline: encBase } : {}),
        notes: [`sealing 64 KiB chunks, ${NOBLE_SAMPLE / MiB} MiB: why bulk data goes through node:crypto (docs/decisions/003-paper-encryption.md)`],
      }),
      row({ bench: BENCH, name: 'noble AES-256-GCM (pure JS)', figure: nobleGcm, unit: 'MB/s', ...(encBase ? { baseline: encBase } : {}) }),
    ]
  })
}

export const paperCryptoBenchmark: Benchmark = {
  name: BENCH,
  title: 'encrypt and decrypt a 1 GiB paper vs openssl speed',
  run: (p) => benchPaperCrypto(p),
}

if (import.meta.main) {
  const mib = process.argv[2] ? Number(process.argv[2]) : undefined
  console.log(formatTable(await benchPaperCrypto(console.log, mib ? mib * MiB : SIZE)))
}
