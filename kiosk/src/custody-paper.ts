// /custody/papers/{id}: one paper from its encrypted file to its packets. Upload (streamed and encrypted on
// arrival), print jobs with two custodians' approval, decryption inside the window into this browser's
// memory only, the printed copies recorded as packets with their labels, and a leak report (R5.1–R5.4).
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { ApiError, type OutputOf, type SessionUser, api, upload, url } from './_client.ts'
import {
  JOB_STATES,
  PACKET_STATES,
  PAPER_KINDS,
  PAPER_STATES,
  People,
  copyRange,
  packetPage,
  roomName,
  sealNode,
  sessionLabel,
  stateBadge,
  when,
} from './_custody-ui.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type PaperDetail = OutputOf<'GET /api/papers/{id}'>
type PrintJob = PaperDetail['printJobs'][number]
// The server sends each job's approvalWindow (the domain's field) though its JobSchema does not declare it yet.
type DomainPrintJob = import('../../server/domain/custody/index.ts').PrintJob

/**
 * Decrypts a print job's paper on the server and brings the plaintext into this browser's memory as a Blob
 * (never to disk by this page). The caller shows it for printing and revokes it afterwards.
 */
async function decryptForPrinting(jobId: string): Promise<Blob> {
  const blob = await api('POST /api/print-jobs/{id}/decrypt', { params: { id: jobId } })
  // Chromium shows a PDF inline only with its type; other files keep theirs.
  return blob.type ? blob : new Blob([blob], { type: 'application/pdf' })
}

const paperId = decodeURIComponent(location.pathname.split('/').pop() ?? '')
const bytes = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`)
const count = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v.trim()))

const page = await startStaffPage()
if (page) await main(page.user)

/** What the cards share: who is looking, and the paper as last read. */
interface Ctx {
  user: SessionUser
  people: People
  /** A custodian: uploads, requests, approves, decrypts and records printing. */
  custodian: boolean
  detail: PaperDetail
  /** Reads the paper again and redraws every card. */
  reload(): Promise<void>
}
/** One card of the page, drawn from ctx.detail. */
interface Card {
  render?(): void
}

async function main(user: SessionUser): Promise<void> {
  let detail: PaperDetail
  try {
    detail = await api('GET /api/papers/{id}', { params: { id: paperId } })
  } catch (err) {
    pageProblem(problemText(err))
    return
  }
  const ctx: Ctx = {
    user,
    people: new People(user.id, user.displayName, user.username),
    custodian: user.roles.includes('custodian'),
    detail,
    reload: async () => {
      ctx.detail = await api('GET /api/papers/{id}', { params: { id: paperId } })
      render()
    },
  }
  const cards: Card[] = [paperCard(ctx), jobsCard(ctx), packetsCard(ctx), uploadCard(ctx), requestCard(ctx), leakCard(ctx)]
  const render = (): void => {
    for (const c of cards) c.render?.()
  }
  await showWhenLoaded(render)
}

// ---- the paper: its session, file and window ----------------------------------------------------------------
function paperCard(ctx: Ctx): Card {
  return {
    render() {
      const { paper, printJobs } = ctx.detail
      const file = paper.file
      ctx.people.learn(ctx.detail.names)
      ctx.people.learn(ctx.detail.people) // display names with usernames
      byId('window-text').replaceChildren(
        tx(
          T(
            `解密时段：${formatCst(ctx.detail.window.opensAt, 'zh-CN')} 至 ${formatCst(ctx.detail.window.closesAt, 'zh-CN')}`,
            `Decryption window: ${formatCst(ctx.detail.window.opensAt, 'en')} to ${formatCst(ctx.detail.window.closesAt, 'en')}`,
          ),
        ),
      )
      byId('paper-title').textContent = paper.title
      byId('paper-state').replaceChildren(stateBadge(paper.state, PAPER_STATES))
      byId('paper-kind').replaceChildren(tx(PAPER_KINDS[paper.kind] ?? T(paper.kind, paper.kind)))
      byId('paper-session').replaceChildren(ctx.detail.session ? tx(sessionLabel(ctx.detail.session)) : tx(T('（场次）', '(session)'), 'muted'))
      byId<HTMLAnchorElement>('back-link').href = `/custody?session=${encodeURIComponent(paper.examSessionId)}`
      byId<HTMLAnchorElement>('report-link').href = url('GET /reports/papers/{id}', { params: { id: paper.id } })

      const fact = (label: Text, value: Node | string) => el('div', {}, el('dt', { text: label }), el('dd', {}, value))
      byId('file-facts').replaceChildren(
        ...(file
          ? [
              fact(T('文件名', 'File name'), el('span', { attrs: { id: 'file-name' } }, file.filename)),
              fact(T('明文大小', 'Plaintext size'), bytes(file.plaintextBytes)),
              fact(T('密文 SHA-256', 'Ciphertext SHA-256'), el('span', { class: 'mono hash', attrs: { id: 'file-sha' } }, file.cipherSha256)),
              fact(T('上传', 'Uploaded'), el('span', {}, ctx.people.show(file.uploadedBy), ' · ', when(file.uploadedAt))),
            ]
          : [el('div', {}, el('dd', { class: 'muted', attrs: { id: 'file-none' }, text: T('尚未上传试卷文件', 'No file uploaded yet') }))]),
      )
      // Approvals name the file as it is: any job not cancelled locks it (paper.file_locked).
      const locked = printJobs.some((j) => j.state !== 'cancelled')
      byId('upload-form').hidden = !ctx.custodian || locked || paper.state !== 'active'
      byId('request-card').hidden = !ctx.custodian || !file || paper.state !== 'active'
      byId('leak-card').hidden = paper.state === 'retired'
    },
  }
}

// ---- print jobs -------------------------------------------------------------------------------------
function jobsCard(ctx: Ctx): Card {
  const jobsAlert = byId('jobs-alert')
  const planned = (j: PrintJob) => j.plannedCopies
  function jobButton(label: Text, action: string, onClick: (b: HTMLButtonElement) => void, primary = false): HTMLButtonElement {
    const b = el('button', {
      class: `btn btn--small ${primary ? 'btn--primary' : 'btn--ghost'}`,
      attrs: { type: 'button', 'data-action': action },
      text: label,
    })
    b.addEventListener('click', () => onClick(b))
    return b
  }
  async function run(b: HTMLButtonElement, work: () => Promise<unknown>, done: Text): Promise<void> {
    hideAlert(jobsAlert)
    try {
      await busy(b, work)
      await ctx.reload()
      showAlert(jobsAlert, 'ok', done)
    } catch (err) {
      showAlert(jobsAlert, 'error', problemText(err))
    }
  }
  function jobRow(j: PrintJob): HTMLTableRowElement {
    const actions: HTMLElement[] = []
    // Approvals hold for the window they were given under (decision record 006): after it moved, two custodians approve again.
    const w = (j as PrintJob & Partial<Pick<DomainPrintJob, 'approvalWindow'>>).approvalWindow
    const lapsed =
      j.state === 'approved' && !(w && w.opensAt === Date.parse(ctx.detail.window.opensAt) && w.closesAt === Date.parse(ctx.detail.window.closesAt))
    if (ctx.custodian && ((j.state === 'requested' && !j.approvals.includes(ctx.user.id)) || lapsed)) {
      actions.push(jobButton(T('审批', 'Approve'), 'approve', () => askShare(j, 'approve')))
    }
    if (ctx.custodian && j.state === 'approved' && !lapsed) actions.push(jobButton(T('解密并打印', 'Decrypt and print'), 'decrypt', (b) => decrypt(b, j), true))
    if (ctx.custodian && j.state === 'decrypted' && j.decryptedBy === ctx.user.id) {
      actions.push(jobButton(T('登记印制结果', 'Record printing'), 'printed', () => openPrinted(j), true))
    }
    if (ctx.custodian && (j.state === 'requested' || j.state === 'approved')) {
      actions.push(
        jobButton(T('取消', 'Cancel'), 'cancel', (b) =>
          run(b, () => api('POST /api/print-jobs/{id}/cancel', { params: { id: j.id } }), T('印制任务已取消', 'Print job cancelled')),
        ),
      )
    }
    const approvals =
      j.approvals.length === 0 ? tx(T('尚无', 'None yet'), 'muted') : el('span', { class: 'who' }, ...j.approvals.map((id) => ctx.people.show(id)))
    return el(
      'tr',
      { attrs: { 'data-job': j.id } },
      el('td', { class: 'nowrap' }, tx(T(`第 ${ctx.detail.printJobs.indexOf(j) + 1} 次`, `No. ${ctx.detail.printJobs.indexOf(j) + 1}`))),
      el('td', { class: 'nowrap' }, when(j.requestedAt)),
      el(
        'td',
        { class: 'nowrap' },
        tx(T(`${j.targets.length} 个考场 · ${planned(j)} 份`, `${j.targets.length} rooms · ${planned(j)} copies`)),
        el('div', { class: 'hint mono' }, copyRange({ first: j.firstCopy, last: j.firstCopy + planned(j) - 1 })),
      ),
      el('td', {}, approvals, el('div', { class: 'hint', text: T(`${j.approvals.length}/2`, `${j.approvals.length} of 2`) })),
      el('td', {}, stateBadge(j.state, JOB_STATES)),
      el('td', { class: 'no-print' }, el('div', { class: 'row-actions' }, ...actions)),
    )
  }

  // The share passphrase (decision 008): an approval unlocks the approver's key share; after a server restart,
  // or when k is more than two, a holder unlocks their share again for an approved job ('share').
  const shareDialog = byId<HTMLDialogElement>('share-dialog')
  let sharing: { job: PrintJob; mode: 'approve' | 'share' } | null = null
  function askShare(j: PrintJob, mode: 'approve' | 'share'): void {
    sharing = { job: j, mode }
    hideAlert(byId('share-alert'))
    byId<HTMLInputElement>('share-passphrase').value = ''
    setText(byId('share-submit'), mode === 'approve' ? T('审批', 'Approve') : T('解锁我的份额', 'Unlock my share'))
    if (mode === 'share') {
      showAlert(
        byId('share-alert'),
        'error',
        T(
          '服务器内存中为本任务解锁的份额不足（例如服务器重启过）。请份额持有人输入份额口令，再解密。',
          "Not enough shares are unlocked for this job in the server's memory (for example after a restart). Holders enter their share passphrase, then decrypt.",
        ),
      )
    }
    shareDialog.showModal()
    byId<HTMLInputElement>('share-passphrase').focus()
  }
  byId<HTMLFormElement>('share-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!sharing) return
    const { job, mode } = sharing
    const input = byId<HTMLInputElement>('share-passphrase')
    try {
      await busy(byId<HTMLButtonElement>('share-submit'), () =>
        mode === 'approve'
          ? api('POST /api/print-jobs/{id}/approve', { params: { id: job.id }, json: { passphrase: input.value } })
          : api('POST /api/print-jobs/{id}/share', { params: { id: job.id }, json: { passphrase: input.value } }),
      )
      input.value = ''
      shareDialog.close()
      await ctx.reload()
      showAlert(
        jobsAlert,
        'ok',
        mode === 'approve'
          ? T('已审批，您的密钥份额已为本任务解锁', 'Approved; your key share is unlocked for this job')
          : T('您的密钥份额已为本任务解锁', 'Your key share is unlocked for this job'),
      )
    } catch (err) {
      input.value = ''
      showAlert(byId('share-alert'), 'error', problemText(err))
    }
  })

  // Decryption: the plaintext comes into this tab's memory as a Blob and is opened from there for printing.
  // (An <iframe> of a blob: URL would need the CSP to allow blob: frames; a new tab needs nothing.)
  let plainUrl: string | null = null
  const clearPlain = () => {
    if (plainUrl) URL.revokeObjectURL(plainUrl)
    plainUrl = null
    byId('plain-card').hidden = true
    byId<HTMLAnchorElement>('plain-open').href = '/custody'
  }
  async function decrypt(b: HTMLButtonElement, j: PrintJob): Promise<void> {
    hideAlert(jobsAlert)
    try {
      const blob = await busy(b, () => decryptForPrinting(j.id))
      clearPlain()
      plainUrl = URL.createObjectURL(blob)
      byId<HTMLAnchorElement>('plain-open').href = plainUrl
      byId('plain-name').textContent = ctx.detail.paper.file?.filename ?? ctx.detail.paper.title
      byId('plain-size').textContent = bytes(blob.size)
      byId('plain-card').hidden = false
      await ctx.reload()
      showAlert(jobsAlert, 'ok', T('已解密。打印完成后请登记印制份数', 'Decrypted. Record the copies once they are printed'))
      byId('plain-open').focus()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'key_share.too_few') {
        askShare(j, 'share')
        return
      }
      showAlert(jobsAlert, 'error', problemText(err))
    }
  }
  byId('plain-clear').addEventListener('click', clearPlain)
  addEventListener('pagehide', clearPlain)

  const printedDialog = byId<HTMLDialogElement>('printed-dialog')
  let printing: PrintJob | null = null
  function openPrinted(j: PrintJob): void {
    printing = j
    hideAlert(byId('printed-alert'))
    byId<HTMLInputElement>('printed-copies').value = String(planned(j))
    byId('printed-hint').replaceChildren(
      tx(
        T(
          `计划 ${planned(j)} 份（${j.targets.length} 个考场，每考场备用 ${j.sparesPerRoom} 份）`,
          `Planned: ${planned(j)} copies (${j.targets.length} rooms, ${j.sparesPerRoom} spares each)`,
        ),
      ),
    )
    printedDialog.showModal()
  }
  byId<HTMLFormElement>('printed-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!printing) return
    const j = printing
    try {
      const r = await busy(byId<HTMLButtonElement>('printed-submit'), () =>
        api('POST /api/print-jobs/{id}/printed', { params: { id: j.id }, json: { copies: Number(byId<HTMLInputElement>('printed-copies').value.trim()) } }),
      )
      printedDialog.close()
      clearPlain() // printed: the plaintext has done its job
      await ctx.reload()
      showAlert(
        jobsAlert,
        'ok',
        T(`已登记，生成 ${r.packets.length} 个试卷袋。请打印标签并封袋`, `Recorded: ${r.packets.length} packets. Print their labels and seal them`),
      )
    } catch (err) {
      showAlert(byId('printed-alert'), 'error', problemText(err))
    }
  })
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) b.addEventListener('click', () => b.closest('dialog')?.close())
  return {
    render() {
      byId('job-count').textContent = String(ctx.detail.printJobs.length)
      byId('jobs-body').replaceChildren(
        ...(ctx.detail.printJobs.length > 0
          ? ctx.detail.printJobs.map(jobRow)
          : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '6' }, text: T('还没有印制任务', 'No print jobs yet') }))]),
      )
    },
  }
}

// ---- the packets made by printing ---------------------------------------------------------------------------
function packetsCard(ctx: Ctx): Card {
  return {
    render() {
      const rooms = new Map(Object.entries(ctx.detail.rooms ?? {}))
      byId('packet-count').textContent = String(ctx.detail.packets.length)
      byId('packets-body').replaceChildren(
        ...(ctx.detail.packets.length > 0
          ? ctx.detail.packets.map((p) =>
              el(
                'tr',
                { attrs: { 'data-packet': p.id } },
                el(
                  'td',
                  { class: 'nowrap' },
                  el('a', {
                    attrs: { href: packetPage(p.id) },
                    text: T(`试卷袋 ${copyRange(p.copies).slice(0, 4)}`, `Packet ${copyRange(p.copies).slice(0, 4)}`),
                  }),
                ),
                el('td', {}, p.roomId ? roomName(p.roomId, rooms) : tx(T('备用袋', 'Spare packet'))),
                el('td', { class: 'mono nowrap' }, copyRange(p.copies)),
                el(
                  'td',
                  { class: 'nowrap' },
                  tx(
                    T(
                      `试卷 ${p.contents.copies} · 答题卡 ${p.contents.answerSheets} · 草稿纸 ${p.contents.scratchPaper}`,
                      `${p.contents.copies} copies · ${p.contents.answerSheets} answer sheets · ${p.contents.scratchPaper} scratch`,
                    ),
                  ),
                ),
                el('td', {}, stateBadge(p.state, PACKET_STATES)),
                el('td', { class: 'nowrap' }, sealNode(p)),
                el(
                  'td',
                  { class: 'no-print' },
                  el('a', {
                    class: 'btn btn--ghost btn--small nowrap',
                    attrs: { href: url('GET /packets/{id}/label', { params: { id: p.id } }), target: '_blank', 'data-action': 'label' },
                    text: T('打印标签', 'Print label'),
                  }),
                ),
              ),
            )
          : [
              el(
                'tr',
                {},
                el('td', { class: 'empty', attrs: { colspan: '7' }, text: T('印制登记后生成试卷袋', 'Packets are made when the printing is recorded') }),
              ),
            ]),
      )
    },
  }
}

// ---- upload: the File is the request body, streamed by the browser; progress from the upload events ----------
function uploadCard(ctx: Ctx): Card {
  byId<HTMLFormElement>('upload-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('upload-alert')
    hideAlert(box)
    const f = byId<HTMLInputElement>('upload-file').files?.[0]
    if (!f) {
      showAlert(box, 'error', T('请选择试卷文件', 'Choose the paper file'))
      return
    }
    const bar = byId<HTMLProgressElement>('upload-progress')
    const status = byId('upload-status')
    bar.hidden = false
    status.hidden = false
    bar.value = 0
    try {
      const r = await busy(byId<HTMLButtonElement>('upload-submit'), () =>
        upload(
          'PUT /api/papers/{id}/file',
          {
            params: { id: paperId },
            body: f,
            contentType: f.type === 'application/pdf' ? 'application/pdf' : 'application/octet-stream',
            headers: { 'X-Filename': encodeURIComponent(f.name) },
          },
          (sent, total) => {
            bar.value = total > 0 ? Math.round((sent / total) * 100) : 0
            status.textContent = `${bytes(sent)} / ${bytes(total)}`
          },
        ),
      )
      bar.value = 100
      byId<HTMLFormElement>('upload-form').reset()
      await ctx.reload()
      showAlert(box, 'ok', T(`已上传并加密：${bytes(r.plaintextBytes)}`, `Uploaded and encrypted: ${bytes(r.plaintextBytes)}`))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    } finally {
      bar.hidden = true
    }
  })
  return {}
}

// ---- request a print job ----------------------------------------------------------------------------------
function requestCard(ctx: Ctx): Card {
  byId<HTMLFormElement>('request-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('request-alert')
    hideAlert(box)
    const spares = count(byId<HTMLInputElement>('req-spares').value)
    const answerSheets = count(byId<HTMLInputElement>('req-sheets').value) ?? 0
    const scratchPaper = count(byId<HTMLInputElement>('req-scratch').value) ?? 0
    try {
      await busy(byId<HTMLButtonElement>('request-submit'), () =>
        api('POST /api/papers/{id}/print-jobs', {
          params: { id: paperId },
          json: { ...(spares !== undefined ? { sparesPerRoom: spares } : {}), perCopy: { answerSheets, scratchPaper } },
        }),
      )
      await ctx.reload()
      showAlert(box, 'ok', T('已提交印制申请，须两名保密管理员审批', 'Requested; two custodians must approve it'))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  return {}
}

// ---- leak report (R5.4) -------------------------------------------------------------------------------------
function leakCard(ctx: Ctx): Card {
  byId<HTMLFormElement>('leak-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('leak-alert')
    hideAlert(box)
    const copy = count(byId<HTMLInputElement>('leak-copy').value)
    try {
      await busy(byId<HTMLButtonElement>('leak-submit'), () =>
        api('POST /api/leaks', {
          json: {
            paperId,
            level: byId<HTMLSelectElement>('leak-level').value as 'suspected' | 'confirmed',
            description: byId<HTMLTextAreaElement>('leak-description').value.trim(),
            ...(copy !== undefined ? { copyNumber: copy } : {}),
          },
        }),
      )
      byId<HTMLFormElement>('leak-form').reset()
      await ctx.reload()
      showAlert(box, 'ok', T('泄密报告已提交，试卷已冻结，督导人员已收到告警', 'Report filed: the paper is frozen and the supervisors are alerted'))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  return {}
}
