/**
 * Masked personal data for lists (decision 007): enough to tell people apart at a desk, not enough to
 * use. The full values are shown only on a candidate's own view, to roles that need them, and that view
 * is logged.
 */

/** '500103199003070015' → '5001**********0015': the first and last 4 characters of a resident ID number. */
export function maskResidentId(id: string): string {
  const chars = [...id]
  if (chars.length <= 8) return '*'.repeat(chars.length)
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('')
}

/** '13812345678' → '138****5678': the first 3 and last 4 digits of a phone number (short numbers: the last 2). */
export function maskPhone(phone: string): string {
  const chars = [...phone]
  if (chars.length >= 9) return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('')
  if (chars.length <= 2) return '*'.repeat(chars.length)
  return '*'.repeat(chars.length - 2) + chars.slice(-2).join('')
}
