import { fileURLToPath } from 'node:url'

/**
 * The browser bundles behind the pages (pages.ts): every kiosk/src entry (files not starting with "_") built
 * minified with code splitting, each file named by its content hash (`login-1cpsssm1.js`, `chunk-6p0w84kd.js`),
 * so a deploy changes the name of every file whose bytes changed and browsers may keep the rest forever.
 * Shared modules become chunks that pages import statically; a dynamic import() (the camera scanner's
 * html5-qrcode) becomes a chunk fetched only when it runs. A file a script imports for its URL (the camera's
 * WebAssembly QR reader, `import url from '….wasm'`) is an asset, hashed the same way, its bytes kept as they are.
 * The kiosk's service worker (kiosk/worker/) is built apart, as one classic script.
 */
export interface BuiltFile {
  /** The served name under /assets/, e.g. `log-tj2n00xq.js`. */
  name: string
  text: string
  /** Files this one imports statically (load before it runs), by served name. */
  imports: string[]
  /** Files it imports with import() (loaded on demand), by served name. */
  lazyImports: string[]
  /** Assets it names (fetched when its code asks for them), by served name. */
  assets: string[]
}

export interface Bundles {
  /** Entry name (kiosk/src/<name>.ts) → its hashed file name: the manifest pageHtml reads. */
  entries: ReadonlyMap<string, string>
  /** Every built file by its served name. */
  files: ReadonlyMap<string, BuiltFile>
  /** Every asset's bytes by its served name (`zxing_reader-f3rkn8s2.wasm`). */
  assets: ReadonlyMap<string, Uint8Array<ArrayBuffer>>
}

const transpiler = new Bun.Transpiler({ loader: 'js' })
const localName = (path: string): string | null => (/^\.\/[^/]+$/.test(path) ? path.slice(2) : null)

/** Builds every entry of `srcDir` (an absolute folder path ending in "/"); rejects with the build's messages. */
export async function buildBundles(srcDir: string): Promise<Bundles> {
  const entrypoints: string[] = []
  for await (const f of new Bun.Glob('*.ts').scan({ cwd: srcDir })) if (!f.startsWith('_')) entrypoints.push(srcDir + f)
  entrypoints.sort()
  const result = await Bun.build({
    entrypoints,
    target: 'browser',
    format: 'esm',
    splitting: true,
    minify: true,
    naming: { entry: '[name]-[hash].[ext]', chunk: 'chunk-[hash].[ext]', asset: '[name]-[hash].[ext]' },
    // A .wasm import is the file's URL ("./name-hash.wasm", next to the chunks): the code resolves it against
    // import.meta.url and fetches it when needed; the server serves it under /assets/ like the scripts.
    loader: { '.wasm': 'file' },
    throw: false,
  })
  if (!result.success) throw new AggregateError(result.logs, `kiosk build failed: ${result.logs.map(String).join('\n')}`)
  const entries = new Map<string, string>()
  const files = new Map<string, BuiltFile>()
  const assets = new Map<string, Uint8Array<ArrayBuffer>>()
  for (const o of result.outputs) if (o.kind === 'asset') assets.set(o.path.replace(/^.*[\\/]/, ''), new Uint8Array(await o.arrayBuffer()))
  for (const o of result.outputs) {
    const name = o.path.replace(/^.*[\\/]/, '')
    if (o.kind === 'asset') continue
    if (!name.endsWith('.js')) throw new Error(`kiosk build: unexpected output ${name}`)
    const text = await o.text()
    const imports: string[] = []
    const lazyImports: string[] = []
    for (const imp of transpiler.scanImports(text)) {
      const target = localName(imp.path)
      if (target === null) throw new Error(`kiosk build: ${name} imports ${imp.path}, which is not one of the built files`)
      ;(imp.kind === 'dynamic-import' ? lazyImports : imports).push(target)
    }
    // The file loader writes an asset's URL into the code as a string literal: a file names the assets it carries.
    const named = [...assets.keys()].filter((a) => text.includes(`"./${a}"`))
    files.set(name, { name, text, imports, lazyImports, assets: named })
    if (o.kind === 'entry-point') {
      const entry = o.hash ? name.slice(0, -`-${o.hash}.js`.length) : null
      if (!entry || name !== `${entry}-${o.hash}.js`) throw new Error(`kiosk build: cannot tell the entry of ${name}`)
      entries.set(entry, name)
    }
  }
  for (const f of files.values())
    for (const dep of [...f.imports, ...f.lazyImports]) if (!files.has(dep)) throw new Error(`kiosk build: ${f.name} imports ${dep}, which was not built`)
  for (const a of assets.keys()) if (![...files.values()].some((f) => f.assets.includes(a))) throw new Error(`kiosk build: no built file names the asset ${a}`)
  return { entries, files, assets }
}

/**
 * A file and every file it imports statically, directly or through others: what a browser must fetch before
 * the file's code runs (files reached only through import() are left out). The file itself comes first.
 */
export function staticClosure(bundles: Bundles, name: string): string[] {
  const seen = new Set<string>()
  const visit = (n: string) => {
    if (seen.has(n)) return
    const f = bundles.files.get(n)
    if (!f) throw new Error(`no built file ${n}`)
    seen.add(n)
    for (const dep of f.imports) visit(dep)
  }
  visit(name)
  return [...seen]
}

/**
 * Every file a built file may load, static imports, on-demand ones and the assets they name alike (what a page
 * needs to work offline).
 */
export function fullClosure(bundles: Bundles, name: string): string[] {
  const seen = new Set<string>()
  const visit = (n: string) => {
    if (seen.has(n)) return
    const f = bundles.files.get(n)
    if (!f) throw new Error(`no built file ${n}`)
    seen.add(n)
    for (const dep of [...f.imports, ...f.lazyImports]) visit(dep)
    for (const a of f.assets) seen.add(a)
  }
  visit(name)
  return [...seen]
}

/** Builds the service worker source (a classic script: no import or export left) minified. */
export async function buildWorker(file: string): Promise<string> {
  const result = await Bun.build({ entrypoints: [file], target: 'browser', format: 'iife', minify: true, throw: false })
  if (!result.success) throw new AggregateError(result.logs, `service worker build failed: ${result.logs.map(String).join('\n')}`)
  const out = result.outputs.find((o) => o.kind === 'entry-point')
  if (!out) throw new Error(`service worker build: no output for ${file}`)
  return out.text()
}

/**
 * Runs `build` once and keeps its result; a failed build is forgotten, so a fixed source builds on the next
 * call (the server keeps answering 500 for what needs it until then).
 */
export function buildOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null
  return () => {
    pending ??= build().catch((err: unknown) => {
      pending = null
      throw err
    })
    return pending
  }
}

const kioskDir = (rel: string): string => fileURLToPath(new URL(`../../kiosk/${rel}`, import.meta.url))

/** The kiosk/src bundles of this checkout, built once per process (at start: main.ts asks early). */
export const kioskBundles = buildOnce(() => buildBundles(kioskDir('src/')))
/** The kiosk's service worker script (kiosk/worker/kiosk-sw.ts), built once per process. */
export const kioskWorker = buildOnce(() => buildWorker(kioskDir('worker/kiosk-sw.ts')))
