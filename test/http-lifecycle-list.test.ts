// The registrar's candidate list: filtered, searched and paged on the server (a real batch has thousands),
// and masked whatever the search found (decision 007).
import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { addCandidates, attach, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

interface Row {
  id: string
  name: string
  residentId: string
  trainingUnit: string | null
  status: string
  payment: unknown
  personalData: string
}
interface Page {
  candidates: Row[]
  total: number
  page: number
  pageSize: number
}

async function world() {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'])
  const admin = await app.userWith(['admin'])
  const f = seedLifecycle(app)
  const paid = addCandidates(app, f.batchId, 70, { units: 3 })
  const unpaid = addCandidates(app, f.batchId, 12, { paid: false, units: 3 })
  const registered = addCandidates(app, f.batchId, 7, { status: 'registered', paid: false })
  const rejected = addCandidates(app, f.batchId, 1, { status: 'rejected', paid: false })
  const list = async (query: string, cookie = reg.cookie, status = 200) => {
    const res = await app.call('GET', `/api/batches/${f.batchId}/candidates${query}`, { cookie })
    expect(res.status, await res.clone().text()).toBe(status)
    return (await res.json()) as Page
  }
  return { app, reg, admin, f, paid, unpaid, registered, rejected, all: [...paid, ...unpaid, ...registered, ...rejected], list }
}
const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`

describe('the candidate list pages, filters and searches on the server', () => {
  test('a page holds pageSize candidates in registration order and the total counts them all', async () => {
    const { all, list } = await world()
    const first = await list('?pageSize=25')
    expect(first).toMatchObject({ total: 90, page: 1, pageSize: 25 })
    expect(first.candidates.map((c) => c.id)).toEqual(all.slice(0, 25).map((c) => c.id))
    const last = await list('?pageSize=25&page=4')
    expect(last.candidates.map((c) => c.id)).toEqual(all.slice(75).map((c) => c.id))
    expect((await list('?pageSize=25&page=5')).candidates).toEqual([])
    expect((await list('')).candidates).toHaveLength(50) // the default page
  })

  test('a page size beyond 200 or a page below 1 is refused (request.invalid)', async () => {
    const { list } = await world()
    await list('?pageSize=201', undefined, 400)
    await list('?page=0', undefined, 400)
    await list('?status=lost', undefined, 400)
  })

  test('the status filter keeps registered, approved, rejected, paid and unpaid (approved, no fee) candidates apart', async () => {
    const { paid, unpaid, registered, rejected, list } = await world()
    const ids = async (status: string) => (await list(`?status=${status}&pageSize=200`)).candidates.map((c) => c.id)
    expect(await ids('registered')).toEqual(registered.map((c) => c.id))
    expect(await ids('rejected')).toEqual(rejected.map((c) => c.id))
    expect(await ids('approved')).toEqual([...paid, ...unpaid].map((c) => c.id))
    expect(await ids('paid')).toEqual(paid.map((c) => c.id))
    expect(await ids('unpaid')).toEqual(unpaid.map((c) => c.id))
    expect((await list('?status=paid&pageSize=10')).total).toBe(70)
  })

  test('the search finds by part of the name and by training unit, combined with the filter', async () => {
    const { all, unpaid, list } = await world()
    const name = all[5]!.name
    const byName = await list(`?q=${encodeURIComponent(name)}&pageSize=200`)
    expect(byName.candidates.map((c) => c.id)).toEqual(all.filter((c) => c.name.includes(name)).map((c) => c.id))
    expect(byName.total).toBeGreaterThan(0)
    const unit = await list(`?q=${encodeURIComponent('培训学校1')}&status=unpaid&pageSize=200`)
    expect(unit.candidates.map((c) => c.id)).toEqual(unpaid.filter((c) => c.trainingUnit === '培训学校1').map((c) => c.id))
    expect(unit.total).toBe(unit.candidates.length)
  })

  test('the last digits of the ID number find candidates for registrars and administrators alike', async () => {
    const { reg, admin, all, list } = await world()
    const tail = all[10]!.residentId.slice(-4)
    const expected = all.filter((c) => c.residentId.endsWith(tail)).map((c) => c.id)
    for (const cookie of [reg.cookie, admin.cookie]) expect((await list(`?q=${tail}&pageSize=200`, cookie)).candidates.map((c) => c.id)).toEqual(expected)
  })

  test('a whole ID number finds its holder for a registrar, and the list still shows it masked', async () => {
    const { app, all, list } = await world()
    const c = all[20]!
    const res = await list(`?q=${c.residentId}`)
    expect(res.candidates.map((x) => x.id)).toEqual([c.id])
    expect(res.candidates[0]).toMatchObject({ residentId: masked(c.residentId), personalData: 'masked' })
    expect(JSON.stringify(res)).not.toContain(c.residentId)
    expect(app.services.log.store.indicesForSubject('candidate', c.id)).toEqual([]) // a list view is not a logged view
  })

  test('an administrator (not a registrar) cannot confirm hidden ID digits by searching: a whole number or its middle finds nobody', async () => {
    const { admin, all, list } = await world()
    const c = all[20]!
    expect((await list(`?q=${c.residentId}`, admin.cookie)).total).toBe(0)
    expect((await list(`?q=${c.residentId.slice(4, 14)}`, admin.cookie)).total).toBe(0)
    expect((await list(`?q=${c.residentId.slice(-6)}`, admin.cookie)).total).toBe(0) // more than the 4 the mask shows
  })

  test('an admission ticket number finds its holder', async () => {
    const { app, reg, f, list } = await world()
    const { rooms } = await makeRooms(app, reg.cookie, [
      { name: '101', kind: 'theory', capacity: 30 },
      { name: '102', kind: 'theory', capacity: 30 },
      { name: '103', kind: 'theory', capacity: 30 },
    ])
    await attach(app, reg.cookie, f.sessions.theory, Object.values(rooms))
    await app.call('POST', `/api/sessions/${f.sessions.theory}/seating`, { cookie: reg.cookie, body: { seed: 's' } })
    const { issued } = (await (await app.call('POST', `/api/sessions/${f.sessions.theory}/tickets`, { cookie: reg.cookie })).json()) as {
      issued: Array<{ number: string; candidateId: string }>
    }
    const t = issued[7]!
    expect((await list(`?q=${t.number}`)).candidates.map((c) => c.id)).toEqual([t.candidateId])
    expect((await list(`?q=${t.number.toLowerCase()}`)).candidates.map((c) => c.id)).toEqual([t.candidateId])
  })

  test('a search with LIKE wildcards matches them literally', async () => {
    const { list } = await world()
    expect((await list('?q=%25')).total).toBe(0)
    expect((await list('?q=_')).total).toBe(0)
  })

  test('a supervisor may not read the list at all (auth.forbidden)', async () => {
    const { app, list } = await world()
    const sup = await app.userWith(['supervisor'])
    await list('?q=1', sup.cookie, 403)
  })
})
