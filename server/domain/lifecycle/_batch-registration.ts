/**
 * What a batch takes (R3.1, R7.3): registrations for its own occupation and level only, while registration is
 * open; a photo at the desk (the ticket prints it, R3.4); one registration per person per batch; a retake
 * only under R7.3. The service loads the batch, its announcement and the person's earlier results, asks here,
 * and stores what comes back with its event.
 */
import { type Result, ok, refuse } from '../_result.ts'
import {
  type OccupationCatalogue,
  type PhotoInfo,
  type Registration,
  type RegistrationInput,
  inspectPhoto,
  validateRegistration,
} from '../registration/index.ts'
import { occupationTitle } from './_announcement.ts'
import { assessRetake, checkAttachments, decideRegistrationOpen, type AttachmentInput } from './_candidate.ts'
import type { ImportRowError, LifecycleError } from './_refusals.ts'
import type { Announcement, Batch, CivilDate, Occupation, Sitting, SubjectResult } from './_types.ts'

const blank = (v: string | number | null | undefined) => v === undefined || v === null || String(v).trim() === ''

/** A desk form that leaves occupation or level blank registers for the batch's own. */
export function forThisBatch(batch: Pick<Batch, 'occupationCode' | 'level'>, input: RegistrationInput): RegistrationInput {
  return {
    ...input,
    occupationCode: blank(input.occupationCode) ? batch.occupationCode : input.occupationCode,
    level: blank(input.level) ? batch.level : input.level,
  }
}

export interface DeskForm {
  input: RegistrationInput
  photo: Uint8Array | null
  attachments: readonly AttachmentInput[]
}

/**
 * A registration at the desk (R3.1): registration open, the form valid, for this batch's occupation and
 * level, with a photo that is a real image and attachments that are what they say.
 */
export function decideDeskRegistration(
  batch: Batch,
  announcement: Announcement | null,
  form: DeskForm,
  ctx: { today: CivilDate; occupations: OccupationCatalogue },
): Result<{ registration: Registration; photo: PhotoInfo }, LifecycleError> {
  const open = decideRegistrationOpen(batch, announcement, ctx.today)
  if (!open.ok) return open
  const checked = validateRegistration(forThisBatch(batch, form.input), { today: ctx.today, occupations: ctx.occupations })
  if (!checked.ok) return refuse({ code: 'registration.invalid', errors: checked.error })
  const reg = checked.value
  if (reg.occupationCode !== batch.occupationCode || reg.level !== batch.level) {
    return refuse({ code: 'registration.not_this_batch', occupationCode: batch.occupationCode, level: batch.level })
  }
  if (form.photo === null) return refuse({ code: 'registration.photo_required' })
  const photo = inspectPhoto(form.photo)
  if (!photo.ok) return refuse({ code: 'registration.photo_invalid', photo: photo.error })
  const attached = checkAttachments(form.attachments)
  if (!attached.ok) return attached
  return ok({ registration: reg, photo: photo.value })
}

/** An import offers only the batch's own occupation at its own level: a row for anything else is reported at its row. */
export function importCatalogue(batch: Pick<Batch, 'level'>, occupation: Pick<Occupation, 'code' | 'name'>): OccupationCatalogue {
  return new Map([[occupation.code, { name: occupation.name, levels: [batch.level] }]])
}

/**
 * What this person sits in this batch (R7.3), or why they may not register: once per batch (`registered`:
 * their number is already in it), and a retake of a failed subject only once while the carried pass is valid
 * (after the year a fresh full sitting).
 */
export function decideSitting(
  batch: Pick<Batch, 'occupationCode' | 'level' | 'examStartDate'>,
  person: { registered: boolean; results: readonly SubjectResult[] },
): Result<Sitting, LifecycleError> {
  if (person.registered) return refuse({ code: 'registration.duplicate' })
  return assessRetake(person.results, { occupationCode: batch.occupationCode, level: batch.level, examDate: batch.examStartDate })
}

/** A row for another occupation or level than the batch's is reported as such, not as an unknown code. */
export function notThisBatch(e: ImportRowError, batch: Pick<Batch, 'level'>, o: Occupation): ImportRowError {
  if (e.code !== 'registration.unknown_occupation' && e.code !== 'registration.level_not_offered') return e
  const what = occupationTitle(o, batch.level)
  return {
    ...e,
    code: 'registration.not_this_batch',
    message: `本批次只接受${what}的报名`,
    messageEn: `This batch takes registrations for ${o.code} at level ${batch.level} only`,
  }
}

/** A person's refusal (decideSitting) as the import report's row `row`. */
export function importRowRefusal(row: number, e: LifecycleError): ImportRowError {
  if (e.code === 'registration.duplicate') {
    return {
      row,
      column: '',
      code: 'import.already_registered',
      message: '该身份证号已在本批次报名',
      messageEn: 'This resident ID number is already registered for this batch',
    }
  }
  return {
    row,
    column: '',
    code: e.code,
    message: '未合格科目已补考过一次，不能再次补考',
    messageEn: 'The failed subject was already retaken once; no further retake',
  }
}
