// Two languages, Chinese first. Static pages are written in Chinese with the English beside it in a
// `data-en` attribute (`data-en-placeholder`, `data-en-aria-label`, `data-en-title` for attributes);
// script-made text carries both the same way. Switching language swaps every such text in place, so
// nothing is re-fetched and forms keep what was typed. The choice is remembered on this device.

export type Lang = 'zh-CN' | 'en'
/** A visible string in both languages. */
export interface Text {
  zh: string
  en: string
}

const STORAGE_KEY = 'custody.lang'
const ATTRS = ['placeholder', 'aria-label', 'title'] as const
/** Fired on `document` after the language changed (detail: the new Lang). */
export const LANG_EVENT = 'custody:lang'

/** `T('登录', 'Log in')` */
export const T = (zh: string, en: string): Text => ({ zh, en })

let chosen: Lang | null = null // this page's choice, also when storage is blocked

export function currentLang(): Lang {
  if (chosen) return chosen
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN' // storage blocked (private mode, kiosk policy): stay with the default
  }
}

/** The text in the current language. */
export const tr = (t: Text): string => (currentLang() === 'en' ? t.en : t.zh)

export function setLang(lang: Lang): void {
  chosen = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // not remembered on this device, but switched for this page
  }
  applyLang()
  document.dispatchEvent(new CustomEvent<Lang>(LANG_EVENT, { detail: lang }))
}

const camel = (attr: string): string => attr.replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase())
const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1)

/** Shows every bilingual text under `root` in the current language. */
export function applyLang(root: ParentNode = document): void {
  const lang = currentLang()
  const en = lang === 'en'
  document.documentElement.lang = lang
  for (const el of root.querySelectorAll<HTMLElement>('[data-en]')) {
    el.dataset.zh ??= el.textContent ?? ''
    el.textContent = en ? el.dataset.en! : el.dataset.zh
  }
  for (const attr of ATTRS) {
    const enKey = `en${cap(camel(attr))}`
    const zhKey = `zh${cap(camel(attr))}`
    for (const el of root.querySelectorAll<HTMLElement>(`[data-en-${attr}]`)) {
      el.dataset[zhKey] ??= el.getAttribute(attr) ?? ''
      el.setAttribute(attr, en ? el.dataset[enKey]! : el.dataset[zhKey]!)
    }
  }
}

/** Sets an element's text in both languages (shown in the current one); returns the element. */
export function setText<E extends HTMLElement>(el: E, t: Text): E {
  el.dataset.zh = t.zh
  el.dataset.en = t.en
  el.textContent = currentLang() === 'en' ? t.en : t.zh
  return el
}

/** Sets an attribute (placeholder, aria-label, title) in both languages. */
export function setAttrText<E extends HTMLElement>(el: E, attr: (typeof ATTRS)[number], t: Text): E {
  el.dataset[`zh${cap(camel(attr))}`] = t.zh
  el.dataset[`en${cap(camel(attr))}`] = t.en
  el.setAttribute(attr, currentLang() === 'en' ? t.en : t.zh)
  return el
}
