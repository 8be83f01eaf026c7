import { describe, expect, test } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, sources } from './_sources.ts'
import { ACTION_NAMES, actionName } from '../audit/index.ts'
import { PACKET_EVENTS } from '../server/domain/custody/index.ts'
import { MOVE_ACTIONS } from '../server/services/custody.ts'
import { RECORD_KINDS } from '../server/domain/kiosk/index.ts'

/** The one table of action names (audit/_actions.ts) names every action the server writes to the log. */
const root = ROOT

const CODE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/
/** Every action code built from a template, with the values its placeholder takes. A new template fails the test until listed here. */
const ALERT_KINDS = ['seal_mismatch', 'packet_damaged', 'recovery_mismatch', 'leak', 'paper_file_damaged']
const CANDIDATE_ACTIONS = ['approve', 'reject', 'withdraw', 'reopen']
const TEMPLATES: Record<string, readonly string[]> = {
  '${ALERT_PREFIX}${kind}': ALERT_KINDS.map((k) => `custody.alert.${k}`),
  '${ALERT_PREFIX}${a.kind}': ALERT_KINDS.map((k) => `custody.alert.${k}`),
  '${ALERT_PREFIX}seal_mismatch': ['custody.alert.seal_mismatch'],
  '${ALERT_PREFIX}packet_damaged': ['custody.alert.packet_damaged'],
  'candidate.${PAST[action]}': ['candidate.approved', 'candidate.rejected', 'candidate.withdrawn', 'candidate.reopened'],
  'candidate.${b.action}': CANDIDATE_ACTIONS.map((a) => `candidate.${a}`),
  'user.role_change_${verdict}': ['user.role_change_confirm', 'user.role_change_reject'],
  'custody.packet.${cmd.action}': MOVE_ACTIONS.map((a) => `custody.packet.${a}`),
  'custody.handover.${state}': ['custody.handover.declined', 'custody.handover.cancelled'],
  'kiosk.${r.kind}': RECORD_KINDS.map((k) => `kiosk.${k}`),
}

/**
 * The action codes server/ writes: literals after `action:` / `action =`, the action argument of the refusal
 * helpers (`refuse(c, code, 'x.y')`, `custodyRefused(c, e, 'x.y')`), event helpers (`leakEvent('x.y')`),
 * every `custody.a.b` literal (that namespace is the log's alone), and the templates above.
 */
function emittedActions(): { codes: Map<string, string>; templates: Map<string, string> } {
  const codes = new Map<string, string>()
  const templates = new Map<string, string>()
  for (const f of sources('server')) {
    for (const line of readFileSync(join(root, f), 'utf8').split('\n')) {
      const parts: string[] = []
      const at = line.search(/\baction\s*[:=]\s*(?!z\.)/)
      if (at >= 0) parts.push(line.slice(at))
      for (const m of line.matchAll(/\b\w*[rR]efused?\(c,\s*(?:'[^']*'|[^,'`]+),\s*(['`][^'`]*['`])/g)) parts.push(m[1]!)
      for (const m of line.matchAll(/\b\w+Event\(\s*('[^']*')/g)) parts.push(m[1]!)
      for (const m of line.matchAll(/'(custody\.[a-z_]+\.[a-z_]+)'/g)) parts.push(`'${m[1]}'`)
      for (const p of parts) {
        for (const m of p.matchAll(/'([^'\s]+)'/g)) if (CODE.test(m[1]!)) codes.set(m[1]!, f)
        for (const m of p.matchAll(/`([^`\s]*\$\{[^`]*)`/g)) templates.set(m[1]!, f)
      }
    }
  }
  return { codes, templates }
}

describe('the one table of action names (audit/_actions.ts)', () => {
  const { codes, templates } = emittedActions()

  test('the scan finds the actions it should (it is not reading nothing)', () => {
    for (const c of ['custody.packet.printed', 'custody.paper.frozen', 'custody.leak.filed', 'user.created', 'custody.handover.offer'])
      expect(codes.has(c), c).toBe(true)
  })

  test('every action code emitted in server/ has a Chinese and an English name', () => {
    const all = new Set([...codes.keys(), ...Object.values(PACKET_EVENTS)])
    for (const [t, f] of templates) {
      const values = TEMPLATES[t]
      expect(values, `${f} builds actions from the template \`${t}\`: list its values in TEMPLATES`).toBeDefined()
      for (const v of values ?? []) all.add(v)
    }
    const missing = [...all].filter((c) => !actionName(c)).map((c) => `${c} (${codes.get(c) ?? 'template'})`)
    expect(missing).toEqual([])
  })

  test('custody.paper.* events are named (the printed report showed them as bare codes)', () => {
    expect(actionName('custody.paper.decrypted')).toEqual({ zh: '解密试卷', en: 'Paper decrypted' })
    expect(actionName('custody.paper.frozen')?.zh).toBe('冻结试卷')
    expect(actionName('custody.packet.sealed')).toEqual({ zh: '封装试卷袋', en: 'Packet sealed' })
  })

  test('every name has both languages, and the Chinese name is Chinese', () => {
    for (const [code, name] of Object.entries(ACTION_NAMES)) {
      expect(name.zh, code).toMatch(/[\u4e00-\u9fff]/)
      expect(name.en, code).toMatch(/^[A-Z]/)
    }
  })
})
