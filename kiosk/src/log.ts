// /log: the custody log for supervisors and administrators. The checkpoint's signature, each entry's
// leaf hash and its inclusion proof are checked here, in the browser (RFC 9162 §2.1.3.2, C2SP signed
// note), so "verified" on this page is this machine's finding, not the server's claim.
import type { Role } from '../../server/domain/accounts/index.ts'
import type { Actor as LogActor, LogEvent as AuditLogEvent } from '../../audit/index.ts'
import { type OutputOf, type Without, api, url } from './_client.ts'
import { actionName, OUTCOMES, subjectTypeName } from './_actions.ts'
import { type Checkpoint, type Vkey, ProofError, keyIdHex, leafHash, openNote, parseCheckpoint, parseVkey, verifyInclusion } from '../../audit/index.ts'
import { equalBytes, fromBase64, fromHex, toHex } from '../../crypto/index.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { type CosignatureCheck, type HistoryVerdict, checkCosignature, judgeHistory, recall, remember } from './_log-memory.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

const PAGE_SIZE = 25

/** One log event as the browser decodes it from the entry's bytes (the entries route sends it as `unknown`). */
type LogEvent = AuditLogEvent & { v: number; index: number; prev: string }
type LogEntry = Without<OutputOf<'GET /api/log/entries'>['entries'][number], 'event'> & { event: LogEvent }
type InclusionProof = OutputOf<'GET /api/log/proof/inclusion'>
type WitnessInfo = OutputOf<'GET /api/log/witnesses'>['witnesses'][number]
const fromUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b)

interface WitnessView {
  info: WitnessInfo
  check: CosignatureCheck | null
}
interface CheckpointView {
  checkpoint: Checkpoint
  signer: Vkey | null
  witnesses: WitnessView[]
  history: HistoryVerdict | null
}

/** One row as the page shows it: the event decoded from the hashed bytes themselves. */
interface Row {
  entry: LogEntry
  bytes: Uint8Array
  event: LogEvent
  decodedFromBytes: boolean
}

/** The people of the entries read so far, by account id: the server names them beside the entries (decision record 010). */
const people = new Map<string, { displayName: string; username: string }>()
/** What the entries are about, by name ("type:id" → name), as the server names them. */
const subjects = new Map<string, string>()

const page = await startStaffPage()
if (page) await main(page.roleName)

async function loadCheckpoint(): Promise<CheckpointView> {
  // The checkpoint first: the server waits briefly for the witnesses' answers to it, then reports on them.
  const noteText = await api('GET /api/log/checkpoint')
  const [keysText, { witnesses }] = await Promise.all([api('GET /api/log/key'), api('GET /api/log/witnesses')])
  const keys: Vkey[] = []
  for (const line of keysText.split('\n').filter(Boolean)) {
    try {
      keys.push(parseVkey(line))
    } catch {
      /* an unreadable key line verifies nothing */
    }
  }
  // audit/'s own signed-note and checkpoint code, bundled: the browser, not the server, decides "verified".
  const note = openNote(noteText, keys)
  const checkpoint = parseCheckpoint(note.text)
  const signer = keys.find((k) => note.signatures.some((s) => s.verified && s.name === k.name && s.keyId === k.keyId)) ?? null
  return {
    checkpoint,
    signer,
    witnesses: witnesses.map((info) => ({ info, check: cosignatureOf(noteText, info) })),
    history: signer ? await checkHistory(checkpoint) : null,
  }
}

type WitnessState = CosignatureCheck['state'] | 'refused'

function witnessVerdict(state: WitnessState, info: WitnessInfo, check: CosignatureCheck | null): Text {
  switch (state) {
    case 'verified':
      return T(
        `已联署此检查点（${formatCst(check!.time! * 1000, 'zh-CN')}，已在本机浏览器验证）`,
        `Cosigned this checkpoint (${formatCst(check!.time! * 1000, 'en')}, checked in this browser)`,
      )
    case 'refused':
      return T(
        '见证方拒绝联署此检查点：它与见证方记住的历史不一致（分叉或改写）',
        'The witness refused to cosign this checkpoint: it does not extend the history the witness remembers (a fork or a rewrite)',
      )
    case 'absent':
      return info.cosignedSize === null
        ? T('尚未联署此检查点', 'Has not cosigned this checkpoint yet')
        : T(`尚未联署此检查点（上次联署至第 ${info.cosignedSize} 条）`, `Has not cosigned this checkpoint yet (last cosigned size ${info.cosignedSize})`)
    case 'failed':
      return T('联署无法验证', 'The cosignature does not verify')
  }
}

function cosignatureOf(note: string, info: WitnessInfo): CosignatureCheck | null {
  try {
    return checkCosignature(note, info.vkey)
  } catch {
    return null
  }
}

/**
 * The history check: the checkpoint this browser last verified must be a prefix of this one (a consistency
 * proof, checked here). Only a checkpoint whose signature and history verified is remembered; after a
 * rewrite the old memory is kept, so the warning stays until someone looks.
 */
async function checkHistory(cp: Checkpoint): Promise<HistoryVerdict> {
  const remembered = recall(localStorage, cp.origin)
  let proof: Uint8Array[] | null = null
  if (remembered && remembered.size > 0 && cp.size > remembered.size) {
    try {
      proof = (await api('GET /api/log/proof/consistency', { query: { from: remembered.size, to: cp.size } })).proof.map(fromBase64)
    } catch {
      proof = null
    }
  }
  const current = { origin: cp.origin, size: cp.size, root: cp.rootHash }
  const verdict = judgeHistory(remembered, current, proof)
  if (verdict.kind !== 'rewritten') remember(localStorage, current, new Date())
  return verdict
}

function toRow(entry: LogEntry): Row {
  const bytes = fromBase64(entry.bytes)
  try {
    return { entry, bytes, event: JSON.parse(fromUtf8(bytes)) as LogEvent, decodedFromBytes: true }
  } catch {
    return { entry, bytes, event: entry.event, decodedFromBytes: false }
  }
}

/** A person by display name, the username (the name the signed entry holds) small beside it. */
function actorText(a: LogActor, roleName: (r: Role) => Text): Node {
  if ('system' in a) return el('span', { class: 'who' }, tx(T('系统', 'System')), el('span', { class: 'who__roles' }, a.system))
  const known = people.get(a.user)
  return el(
    'span',
    { class: 'who', attrs: { 'data-user': a.user } },
    el('strong', {}, known?.displayName ?? a.name),
    known && known.username !== known.displayName ? el('span', { class: 'person__username muted small' }, known.username) : null,
    el('span', { class: 'who__roles' }, ...a.roles.map((r) => tx(roleName(r as Role), 'who__role'))),
  )
}

/** An action by its name (one table, audit/_actions.ts); its code only where there is no name, or in the entry's details. */
function actionCell(code: string, withCode = false): Node {
  const name = actionName(code)
  return el(
    'span',
    { class: 'action', attrs: { 'data-action': code } },
    name ? tx(name) : null,
    !name || withCode ? el('code', { class: 'action__code' }, code) : null,
  )
}

function subjectCell(e: LogEvent, full = false): Node {
  if (!e.subject) return document.createTextNode('—')
  const type = subjectTypeName(e.subject.type)
  const named = e.subject.type === 'user' ? people.get(e.subject.id)?.displayName : subjects.get(`${e.subject.type}:${e.subject.id}`)
  if (named && !full) return el('span', { attrs: { title: e.subject.id } }, type ? tx(type) : e.subject.type, ' · ', named)
  const label = full ? e.subject.id : typeof e.data.username === 'string' ? e.data.username : e.subject.id.slice(0, 8)
  return el('span', { attrs: { title: e.subject.id } }, type ? tx(type) : e.subject.type, ' · ', el('span', { class: 'mono' }, label))
}

function outcomeBadge(o: LogEvent['outcome']): HTMLElement {
  return el('span', { class: `badge ${o === 'ok' ? 'badge--ok' : 'badge--refused'}`, text: OUTCOMES[o] ?? T(o, o) })
}

async function main(roleName: (r: Role) => Text): Promise<void> {
  let view: CheckpointView
  let rows: Row[]
  let offset = 0 // entries skipped from the newest end
  try {
    view = await loadCheckpoint()
    rows = await loadPage(view.checkpoint.size, offset)
  } catch (err) {
    pageProblem(problemText(err)) // 403 for other roles: the server's message, and no entries
    return
  }

  async function loadPage(size: number, skip: number): Promise<Row[]> {
    const end = size - skip
    const start = Math.max(0, end - PAGE_SIZE)
    if (end <= 0) return []
    // Only entries the checkpoint covers, so every row can be proven against it.
    const { entries, people: named, subjects: about } = await api('GET /api/log/entries', { query: { start, end } })
    for (const [id, p] of Object.entries(named ?? {})) people.set(id, p)
    for (const [key, name] of Object.entries(about ?? {})) subjects.set(key, name)
    return (entries as LogEntry[]).map(toRow).reverse()
  }

  function renderCheckpoint(): void {
    const { checkpoint: cp, signer } = view
    byId('cp-origin').textContent = cp.origin
    byId('cp-size').textContent = cp.size.toLocaleString('en-US')
    byId('cp-root').textContent = toHex(cp.rootHash)
    byId('cp-signer').textContent = signer ? `${signer.name} · ${keyIdHex(signer.keyId)}` : '—'
    const sig = byId('cp-signature')
    sig.className = `verdict ${signer ? 'verdict--ok' : 'verdict--bad'}`
    sig.dataset.state = signer ? 'verified' : 'failed'
    setText(
      sig,
      signer
        ? T('签名有效（已在本机浏览器验证）', 'Signature valid (checked in this browser)')
        : T('签名无法验证：检查点与日志公钥不符', 'Signature does not verify against the log key'),
    )
    renderWitnesses()
    renderHistory()
  }

  function renderWitnesses(): void {
    const list = byId('cp-witnesses')
    if (view.witnesses.length === 0) {
      list.replaceChildren(
        el('li', {
          class: 'muted',
          text: T('未配置外部见证方：检查点只有本单位自己的签名', "No outside witness is configured: the checkpoint carries only this body's own signature"),
        }),
      )
      return
    }
    list.replaceChildren(
      ...view.witnesses.map(({ info, check }) => {
        const refused = check?.state === 'absent' && info.refused?.size === view.checkpoint.size
        const state: WitnessState = refused ? 'refused' : (check?.state ?? 'failed')
        const badge = el('span', {
          class: `verdict ${state === 'verified' ? 'verdict--ok' : state === 'absent' ? 'verdict--pending' : 'verdict--bad'}`,
          attrs: { 'data-state': state },
        })
        setText(badge, witnessVerdict(state, info, check))
        const problem = info.problem ? el('span', { class: 'hint', text: T(`最近一次提交：${info.problem}`, `Last submission: ${info.problem}`) }) : null
        return el('li', { attrs: { 'data-witness': info.name } }, el('span', { class: 'mono' }, `${info.name} · ${info.keyId}`), badge, problem)
      }),
    )
  }

  function renderHistory(): void {
    const box = byId('cp-history')
    const alert = byId('history-alert')
    const h = view.history
    box.dataset.state = h?.kind ?? 'unknown'
    alert.hidden = true
    if (!h) {
      box.className = 'verdict verdict--bad'
      setText(box, T('签名未通过，无法核验历史', 'The signature failed, so the history cannot be checked'))
      return
    }
    const cp = view.checkpoint
    if (h.kind === 'first') {
      box.className = 'verdict verdict--pending'
      setText(
        box,
        T(
          `本浏览器首次核验此日志：已记住此检查点（${cp.size} 条），下次访问时将核验日志只增不改`,
          `First check of this log in this browser: this checkpoint (${cp.size} entries) is remembered, and the next visit checks the log only grew`,
        ),
      )
      return
    }
    const seen = formatCst(h.remembered.verifiedAt).slice(0, 19) // the same in both languages
    if (h.kind === 'same') {
      box.className = 'verdict verdict--ok'
      setText(box, T(`与本浏览器 ${seen} 核验的检查点（${cp.size} 条）相同`, `The same checkpoint (${cp.size} entries) this browser verified on ${seen}`))
      return
    }
    if (h.kind === 'extended') {
      box.className = 'verdict verdict--ok'
      setText(
        box,
        T(
          `一致性证明已在本机验证：本浏览器 ${seen} 核验的 ${h.remembered.size} 条原样保留，之后只追加了 ${cp.size - h.remembered.size} 条`,
          `Consistency proof checked in this browser: the ${h.remembered.size} entries verified on ${seen} are unchanged; ${cp.size - h.remembered.size} were appended since`,
        ),
      )
      return
    }
    const why =
      h.why === 'shrunk'
        ? T(`现在只有 ${cp.size} 条：已签名的条目消失了`, `now has only ${cp.size} entries: signed entries have disappeared`)
        : h.why === 'root_changed'
          ? T(`在同样 ${cp.size} 条处的根哈希不同：条目被改动了`, `has a different root hash at the same ${cp.size} entries: entries were changed`)
          : T(
              `无法证明是那 ${h.remembered.size} 条的延续（一致性证明未通过）`,
              `cannot be shown to extend those ${h.remembered.size} entries (the consistency proof fails)`,
            )
    box.className = 'verdict verdict--bad'
    setText(
      box,
      T(`历史已被改写：与本浏览器 ${seen} 核验的检查点不一致`, `History rewritten: inconsistent with the checkpoint this browser verified on ${seen}`),
    )
    showAlert(
      alert,
      'error',
      T(
        `警告：此日志的历史已被改写！本浏览器于 ${seen} 核验过含 ${h.remembered.size} 条的检查点，而当前日志${why.zh}`,
        `WARNING: this log's history has been rewritten! This browser verified a checkpoint of ${h.remembered.size} entries on ${seen}; the log now ${why.en}`,
      ),
      T(
        '已签名的记录不得消失或改变。请保存本页（打印或截图）并立即报告督导人员和外部见证方',
        'Signed entries must never disappear or change. Keep this page (print or screenshot) and report it to the supervisors and the outside witnesses at once',
      ),
    )
    alert.classList.add('alert--loud')
    alert.dataset.state = 'rewritten'
  }

  function renderTable(): void {
    const size = view.checkpoint.size
    const tbody = byId('entries-body')
    tbody.replaceChildren(
      ...rows.map((r) => {
        const open = el('button', { class: 'link mono', attrs: { type: 'button' } }, `#${r.entry.index}`)
        const tr = el(
          'tr',
          { class: 'row--click', attrs: { 'data-index': String(r.entry.index) } },
          el('td', {}, open),
          el('td', { class: 'nowrap' }, tx(T(formatCst(r.event.time, 'zh-CN'), formatCst(r.event.time, 'en')))),
          el('td', {}, actorText(r.event.actor, roleName)),
          el('td', {}, actionCell(r.event.action)),
          el('td', {}, outcomeBadge(r.event.outcome)),
          el('td', { class: 'nowrap' }, subjectCell(r.event)),
        )
        tr.addEventListener('click', () => showEntry(r, tr))
        return tr
      }),
    )
    const end = size - offset
    const start = Math.max(0, end - PAGE_SIZE)
    setText(
      byId('page-range'),
      size === 0
        ? T('日志为空', 'The log is empty')
        : T(`第 ${start}–${end - 1} 条（新的在前），共 ${size} 条`, `Entries ${start}–${end - 1} (newest first) of ${size}`),
    )
    byId<HTMLButtonElement>('newer').disabled = offset === 0
    byId<HTMLButtonElement>('older').disabled = start === 0
  }

  async function go(nextOffset: number, button: HTMLButtonElement): Promise<void> {
    hideAlert(byId('entries-alert'))
    try {
      rows = await busy(button, () => loadPage(view.checkpoint.size, nextOffset))
      offset = nextOffset
      renderTable()
    } catch (err) {
      showAlert(byId('entries-alert'), 'error', problemText(err))
    }
  }

  byId<HTMLButtonElement>('newer').addEventListener('click', (ev) => go(Math.max(0, offset - PAGE_SIZE), ev.currentTarget as HTMLButtonElement))
  byId<HTMLButtonElement>('older').addEventListener('click', (ev) => go(offset + PAGE_SIZE, ev.currentTarget as HTMLButtonElement))
  byId<HTMLButtonElement>('refresh').addEventListener('click', async (ev) => {
    const button = ev.currentTarget as HTMLButtonElement
    hideAlert(byId('entries-alert'))
    try {
      await busy(button, async () => {
        view = await loadCheckpoint()
        rows = await loadPage(view.checkpoint.size, 0)
      })
      offset = 0
      renderCheckpoint()
      renderTable()
      byId('entry-panel').hidden = true
    } catch (err) {
      showAlert(byId('entries-alert'), 'error', problemText(err))
    }
  })

  let shown = 0 // which click is current: a slow proof for an earlier click must not overwrite a later one
  async function showEntry(r: Row, tr: HTMLTableRowElement): Promise<void> {
    const ticket = ++shown
    for (const other of byId('entries-body').querySelectorAll('tr[aria-selected]')) other.removeAttribute('aria-selected')
    tr.setAttribute('aria-selected', 'true')
    const { entry, event } = r
    const panel = byId('entry-panel')
    byId('entry-index').textContent = `#${entry.index}`
    byId('entry-time').replaceChildren(tx(T(formatCst(event.time, 'zh-CN'), formatCst(event.time, 'en'))))
    byId('entry-actor').replaceChildren(actorText(event.actor, roleName))
    byId('entry-action').replaceChildren(actionCell(event.action, true))
    byId('entry-outcome').replaceChildren(outcomeBadge(event.outcome))
    byId('entry-subject').replaceChildren(subjectCell(event, true))
    byId('entry-leaf').textContent = entry.leafHash
    byId('entry-json').replaceChildren(
      r.decodedFromBytes ? JSON.stringify(event, null, 2) : tx(T('（条目字节不是有效的 UTF-8 JSON）', '(the entry bytes are not valid UTF-8 JSON)')),
    )
    byId('entry-proof').replaceChildren()
    verdict(T('正在获取并验证包含证明…', 'Fetching and checking the inclusion proof…'), 'pending')
    panel.hidden = false
    byId('entry-title').focus()

    const size = view.checkpoint.size
    const leafOk = equalBytes(leafHash(r.bytes), fromHex(entry.leafHash)) && r.decodedFromBytes && event.index === entry.index
    let proof: InclusionProof
    try {
      proof = await api('GET /api/log/proof/inclusion', { query: { index: entry.index, size } })
    } catch (err) {
      if (ticket === shown) verdict(problemText(err), 'failed')
      return
    }
    if (ticket !== shown) return
    const path = proof.proof.map(fromBase64)
    byId('entry-proof').replaceChildren(...path.map((h) => el('li', { class: 'mono hash' }, toHex(h))))
    const rootOk = included(leafHash(r.bytes), entry.index, size, path, view.checkpoint.rootHash)
    if (!leafOk) verdict(T('条目字节与其叶哈希不符', 'The entry bytes do not match their leaf hash'), 'failed')
    else if (!rootOk)
      verdict(
        T(`包含证明未通过：不能导出检查点（${size} 条）的根哈希`, `Inclusion proof failed: it does not lead to the root of the checkpoint (size ${size})`),
        'failed',
      )
    else if (!view.signer)
      verdict(T('包含证明成立，但检查点签名无法验证', 'The proof leads to the root, but the checkpoint signature does not verify'), 'failed')
    else
      verdict(
        T(
          `包含证明已验证：条目 #${entry.index} 在已签名的检查点（${size} 条）之中`,
          `Inclusion proof verified: entry #${entry.index} is in the signed checkpoint of size ${size}`,
        ),
        'verified',
      )
  }

  function verdict(t: Text, state: 'pending' | 'verified' | 'failed'): void {
    const box = byId('proof-status')
    box.dataset.state = state
    box.className = `verdict verdict--${state === 'verified' ? 'ok' : state === 'failed' ? 'bad' : 'pending'}`
    setText(box, t)
  }

  byId('entry-close').addEventListener('click', () => {
    byId('entry-panel').hidden = true
    for (const other of byId('entries-body').querySelectorAll('tr[aria-selected]')) other.removeAttribute('aria-selected')
  })
  byId<HTMLAnchorElement>('export').href = url('GET /api/log/export')
  // A printed entry is evidence: print its proof hashes too.
  addEventListener('beforeprint', () => {
    byId<HTMLDetailsElement>('entry-proof-details').open = true
  })

  await showWhenLoaded(() => {
    renderCheckpoint()
    renderTable()
  }, 'log-area')
}

/** audit/'s RFC 9162 §2.1.3.2 check, as a yes or no: any ProofError (wrong length, wrong root) is a no. */
function included(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[], root: Uint8Array): boolean {
  try {
    verifyInclusion(leaf, index, size, proof, root)
    return true
  } catch (err) {
    if (err instanceof ProofError) return false
    throw err
  }
}
