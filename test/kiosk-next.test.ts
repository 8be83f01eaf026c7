// The login page's `next`: only a path on this origin (kiosk/src/_next.ts, decision 005).
import { describe, expect, test } from 'vitest'
import { safeNext } from '../kiosk/src/_next.ts'

const ORIGIN = 'https://custody.example'
/** What the login page gets from `?next=...`: URLSearchParams decodes it first. */
const fromQuery = (query: string) => new URLSearchParams(query).get('next')

describe('the login page sends a user only to a path on its own origin', () => {
  test.each([
    ['/%09/evil.example/x (a tab the browser drops, leaving //evil.example)', fromQuery('next=/%09/evil.example/x')],
    ['/%0a/evil.example (a newline)', fromQuery('next=/%0a/evil.example')],
    ['//evil.example', '//evil.example'],
    ['/\\evil.example', '/\\evil.example'],
    ['\\\\evil.example', '\\\\evil.example'],
    ['https://evil.example/home', 'https://evil.example/home'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
    ['  //evil.example (leading spaces)', '  //evil.example'],
    ['http://custody.example/home (another scheme of the same host)', 'http://custody.example/home'],
    ['data:text/html,hi', 'data:text/html,hi'],
    ['/.//evil.example/x (a dot segment that leaves a path starting with //)', '/.//evil.example/x'],
    ['/a/..//evil.example', '/a/..//evil.example'],
    ['/%2e//evil.example (an encoded dot segment)', fromQuery('next=/%252e//evil.example')],
    ['/./\\evil.example', '/./\\evil.example'],
  ])('%s → /home', (_name, raw) => {
    expect(safeNext(raw, ORIGIN)).toBe('/home')
  })

  test.each([
    ['/admin/users', '/admin/users'],
    ['/custody/packet?id=p1#seal', '/custody/packet?id=p1#seal'],
    ['/log/../admin/users', '/admin/users'],
    ['admin/users (relative)', '/admin/users'],
    ['https://custody.example/rooms (this origin, spelled out)', '/rooms'],
  ])('%s is kept as a same-origin path', (raw, expected) => {
    expect(safeNext(raw.split(' ')[0]!, ORIGIN)).toBe(expected)
  })

  test('nothing given, or something unparseable, goes home', () => {
    expect(safeNext(null, ORIGIN)).toBe('/home')
    expect(safeNext('', ORIGIN)).toBe('/home')
    expect(safeNext('http://[::1', ORIGIN)).toBe('/home')
  })
})
