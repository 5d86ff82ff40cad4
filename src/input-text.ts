// What text from outside (GraphQL arguments and variables, REST bodies) may hold: PostgreSQL text cannot store
// the NUL character, and a lone UTF-16 surrogate (a JSON or GraphQL «\ud800») is no Unicode at all. Both are
// refused at the door, by the GraphQL app and the REST intake alike, naming where they were found — rather than
// failing deep in the database as an unexpected error.
import type { FieldProblem } from './errors.ts'
import { TEXT_INPUT_RU } from './i18n/ru-records.ts'

/** The code of a refused text in a problem list. */
export const INVALID_TEXT = 'INVALID_TEXT'

// a lone surrogate: in a `u` regular expression a well-formed pair is one code point, never \p{Cs}
// oxlint-disable-next-line no-control-regex -- NUL is exactly what is refused
const REFUSED = /[\u0000\p{Cs}]/u

/** Why `text` cannot be taken, or null when it can. */
export function textProblem(text: string): string | null {
  const found = REFUSED.exec(text)
  if (!found) return null
  if (found[0] === '\u0000') return TEXT_INPUT_RU.nul('U+0000')
  return TEXT_INPUT_RU.loneSurrogate(`U+${found[0].charCodeAt(0).toString(16).toUpperCase()}`, found.index + 1)
}

/** At most this many problems are reported for one request: enough to correct it, not a flood. */
const MAX_PROBLEMS = 10

/**
 * Every string in a JSON-like value (object keys included) that textProblem refuses, with its dotted path under
 * `root` (list items by index: `items.0.name`). Walked without recursion: a body of nested lists thousands deep
 * is refused or accepted, never a stack overflow.
 */
export function textProblems(value: unknown, root: string | null = null): FieldProblem[] {
  const problems: FieldProblem[] = []
  const join = (path: string | null, key: string) => (path === null ? key : `${path}.${key}`)
  // [a value, its path, the object key it is under: checked when its turn comes, so problems come in order]
  const pending: Array<[unknown, string | null, string | null]> = [[value, root, null]]
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const [v, path, key] = pending.pop()!
    const keyProblem = key === null ? null : textProblem(key)
    if (keyProblem) {
      problems.push({ field: shortened(path), code: INVALID_TEXT, message: TEXT_INPUT_RU.name(keyProblem) })
    } else if (typeof v === 'string') {
      const problem = textProblem(v)
      if (problem) problems.push({ field: shortened(path), code: INVALID_TEXT, message: problem })
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push([v[i], join(path, String(i)), null])
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) pending.push([entries[i][1], join(path, printable(entries[i][0])), entries[i][0]])
    }
  }
  return problems.slice(0, MAX_PROBLEMS)
}

// a path through lists nested thousands deep is shown by its ends
const shortened = (path: string | null) => (path !== null && path.length > 200 ? `${path.slice(0, 100)}…${path.slice(-60)}` : path)

/** `text` with the refused characters written as escapes, fit to be shown (and logged) as a name. */
export function printable(text: string): string {
  return text.replace(new RegExp(REFUSED.source, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
