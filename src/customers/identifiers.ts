// How customers compare: phones in any notation, names however written.

/**
 * A phone's digits in one canonical form: Russian numbers as 11 digits starting with 7
 * («8 916 123-45-67», «+7(916)1234567», «9161234567» are equal); null when too short to be a phone.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (phone == null) return null
  let digits = phone.replace(/\D/g, '')
  if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`
  else if (digits.length === 10 && digits.startsWith('9')) digits = `7${digits}`
  return digits.length >= 7 ? digits : null
}

/** Legal forms spelled out (lower case, in the order they are tried) and their abbreviations. */
export const LEGAL_FORMS_SPELLED: ReadonlyArray<readonly [words: readonly string[], short: string]> = [
  [['общество', 'с', 'ограниченной', 'ответственностью'], 'ооо'],
  [['публичное', 'акционерное', 'общество'], 'пао'],
  [['закрытое', 'акционерное', 'общество'], 'зао'],
  [['открытое', 'акционерное', 'общество'], 'оао'],
  [['непубличное', 'акционерное', 'общество'], 'ао'],
  [['акционерное', 'общество'], 'ао'],
  [['индивидуальный', 'предприниматель'], 'ип'],
]

const LEGAL_FORMS: Array<[RegExp, string]> = LEGAL_FORMS_SPELLED.map(([words, short]) => [new RegExp(words.join(' '), 'g'), short])

/**
 * A name folded for matching: lower case, «ё»→«е», quotes and punctuation dropped, legal forms
 * abbreviated, words sorted — so «Иванов Иван Иванович» and «иван иванович иванов» are equal.
 */
export function normalizeName(name: string | null | undefined): string | null {
  if (name == null) return null
  let s = name.toLowerCase().replace(/ё/g, 'е')
  for (const [long, short] of LEGAL_FORMS) s = s.replace(long, short)
  const words = s.replace(/[«»"'„“”`.,()\-–—]/g, ' ').split(/\s+/).filter(Boolean)
  return words.length ? words.sort().join(' ') : null
}
