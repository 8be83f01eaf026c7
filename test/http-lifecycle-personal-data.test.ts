import { describe, expect, test } from 'vitest'
import { makeTestApp } from './_app.ts'
import { announcedBatch, idOf, json, photoBase64 } from './_lifecycle-http.ts'

const PDF = Buffer.from('%PDF-1.4\n% ID card copy\n').toString('base64')

async function registered() {
  const app = makeTestApp()
  const reg = await app.userWith(['registrar'], 'desk')
  const admin = await app.userWith(['admin'], 'root')
  const { batchId } = await announcedBatch(app, reg.cookie)
  const residentId = idOf(0)
  const c = await json<{ id: string; residentId: string; phone: string; attachments: Array<{ id: string }> }>(
    await app.call('POST', `/api/batches/${batchId}/candidates`, {
      cookie: reg.cookie,
      body: {
        name: '张三',
        residentId,
        phone: '13812345678',
        photoBase64: photoBase64(),
        attachments: [{ kind: 'id_card', filename: 'id.pdf', contentType: 'application/pdf', base64: PDF }],
      },
    }),
    201,
  )
  return { app, reg, admin, batchId, residentId, c }
}
const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(-4)}`
const views = (app: ReturnType<typeof makeTestApp>, candidateId: string) =>
  app.services.log.store
    .indicesForSubject('candidate', candidateId)
    .map((i) => app.services.log.entry(i)!.event)
    .filter((e) => e.action === 'candidate.personal_data_viewed')

describe("personal data: masked in lists, whole only on the candidate's own view for a registrar, and that view logged", () => {
  test('the candidate list shows resident ID and phone masked, and no birth date, to registrars and administrators alike', async () => {
    const { app, reg, admin, batchId, residentId, c } = await registered()
    expect(c).toMatchObject({ residentId: masked(residentId), phone: '138****5678', personalData: 'masked' }) // the registration's answer too
    for (const cookie of [reg.cookie, admin.cookie]) {
      const res = await app.call('GET', `/api/batches/${batchId}/candidates`, { cookie })
      const body = await res.text()
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(body).not.toContain(residentId)
      expect(body).not.toContain('13812345678')
      const [row] = (JSON.parse(body) as { candidates: Array<Record<string, unknown>> }).candidates
      expect(row).toMatchObject({ residentId: masked(residentId), phone: '138****5678', personalData: 'masked' })
      expect(row).not.toHaveProperty('birthDate')
    }
    expect(views(app, c.id)).toHaveLength(0)
  })

  test("a registrar's view of one candidate shows the whole values and is logged (candidate.personal_data_viewed), without the values in the log", async () => {
    const { app, reg, residentId, c } = await registered()
    const size = app.services.log.size()
    const v = await json(await app.call('GET', `/api/candidates/${c.id}`, { cookie: reg.cookie }), 200)
    expect(v).toMatchObject({ residentId, phone: '13812345678', birthDate: '1990-03-07', personalData: 'full' })
    expect(app.services.log.size()).toBe(size + 1)
    const [event] = views(app, c.id)
    expect(event).toMatchObject({ actor: { name: 'desk', roles: ['registrar'] }, subject: { type: 'candidate', id: c.id }, data: { view: 'candidate' } })
    expect(JSON.stringify(event)).not.toContain(residentId)
  })

  test('an administrator reads a candidate masked, cannot download the ID card copy, and changes nothing', async () => {
    const { app, admin, residentId, c } = await registered()
    const v = await json(await app.call('GET', `/api/candidates/${c.id}`, { cookie: admin.cookie }), 200)
    expect(v).toMatchObject({ residentId: masked(residentId), phone: '138****5678', personalData: 'masked' })
    expect((await app.call('GET', `/api/candidates/${c.id}/attachments/${c.attachments[0]!.id}`, { cookie: admin.cookie })).status).toBe(403)
    expect(views(app, c.id)).toHaveLength(0)
  })

  test("a registrar's download of an attachment is logged as a view of personal data", async () => {
    const { app, reg, c } = await registered()
    const res = await app.call('GET', `/api/candidates/${c.id}/attachments/${c.attachments[0]!.id}`, { cookie: reg.cookie })
    expect(res.status).toBe(200)
    expect(views(app, c.id)).toEqual([expect.objectContaining({ data: { view: 'attachment', attachment: c.attachments[0]!.id, kind: 'id_card' } })])
  })
})
