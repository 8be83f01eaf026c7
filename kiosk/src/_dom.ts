// Small DOM helpers. Everything is built with createElement and textContent (never innerHTML), so text
// from the server or the log can never become markup; nothing sets style attributes (the CSP forbids it).
import { ApiError } from './_client.ts'
import { T, type Text, setText } from './_i18n.ts'

type Child = Node | string | null | undefined | false

export interface Props {
  class?: string
  /** Bilingual text content (switches with the language). */
  text?: Text
  attrs?: Record<string, string>
  hidden?: boolean
}

/** `el('td', { class: 'mono' }, user.username)`: plain strings are data, shown as they are. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (props.class) node.className = props.class
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v)
  if (props.hidden) node.hidden = true
  if (props.text) setText(node, props.text)
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c)
  return node
}

/** A span showing bilingual text. */
export const tx = (t: Text, cls?: string): HTMLSpanElement => el('span', { text: t, ...(cls ? { class: cls } : {}) })

/** A column header: bilingual text, a data string shown as it is, or a cell the caller built (e.g. with `colHead`). */
export type ColumnHead = Text | string | HTMLTableCellElement

/** `<th scope="col">` with bilingual text or a data string; `cls` e.g. 'num' for a numeric column. */
export function colHead(head: Text | string, cls?: string): HTMLTableCellElement {
  const props: Props = { attrs: { scope: 'col' }, ...(cls ? { class: cls } : {}) }
  return typeof head === 'string' ? el('th', props, head) : el('th', { ...props, text: head })
}

/** A compact grid table in its scrolling wrap: one header row of `heads`, then `rows` as the body. */
export function gridTable(heads: ColumnHead[], rows: Node[]): HTMLDivElement {
  const ths = heads.map((h) => (h instanceof HTMLTableCellElement ? h : colHead(h)))
  return el('div', { class: 'table-wrap' }, el('table', { class: 'grid grid--compact' }, el('thead', {}, el('tr', {}, ...ths)), el('tbody', {}, ...rows)))
}

/** The element with this id, which the page's HTML must have. */
export function byId<E extends HTMLElement = HTMLElement>(id: string): E {
  const node = document.getElementById(id)
  if (!node) throw new Error(`page is missing #${id}`)
  return node as E
}

/** Removes every child. */
export const clear = (node: Element): void => node.replaceChildren()

/** What went wrong, in both languages: the server's own message for API refusals. */
export function problemText(err: unknown): Text {
  if (err instanceof ApiError) return err.text
  console.warn('[custody]', err)
  return T('页面出现错误，请刷新后重试', 'Something went wrong on this page; reload and try again')
}

export type AlertKind = 'error' | 'ok' | 'info'

/**
 * Fills an alert box in the page's language (switching with it): Chinese in Chinese mode, English in English
 * mode, never both. The other language stays in the element's data-zh / data-en.
 */
export function showAlert(box: HTMLElement, kind: AlertKind, t: Text, extra?: Text): void {
  box.className = `alert alert--${kind}`
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  const zh = extra ? `${t.zh}。${extra.zh}` : t.zh
  const en = extra ? `${t.en}. ${extra.en}` : t.en
  box.replaceChildren(el('p', { class: 'alert__main', text: { zh, en } }))
  box.hidden = false
}

export const hideAlert = (box: HTMLElement): void => {
  box.hidden = true
  clear(box)
}

/** Runs `work` with the button disabled (a double tap must not submit twice). */
export async function busy<R>(button: HTMLButtonElement, work: () => Promise<R>): Promise<R> {
  button.disabled = true
  button.setAttribute('aria-busy', 'true')
  try {
    return await work()
  } finally {
    button.disabled = false
    button.removeAttribute('aria-busy')
  }
}
