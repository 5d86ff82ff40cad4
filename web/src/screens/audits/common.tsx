// Small pieces the tabs share: a field's problems under it, a mutation's answer turned into problems.
import { SEVERITY_WORD, type SeverityName } from '../../format.ts'
import type { Problem } from './logic.ts'

/** The messages the server gave for one field, under it (the field points at them with aria-describedby). */
export function FieldProblems({ id, messages }: { id: string; messages: readonly string[] | undefined }) {
  if (!messages?.length) return null
  return <p id={id} className="problem field-problem" role="alert">{messages.join(' ')}</p>
}

/** aria props for an input with problems. */
export function invalid(id: string, messages: readonly string[] | undefined) {
  return messages?.length ? { 'aria-invalid': true as const, 'aria-describedby': id } : {}
}

type Answer = { __typename?: string; message?: string; problems?: ReadonlyArray<{ field?: string | null; message: string }> } | null | undefined

/** A result union's refusal as problems (empty: it succeeded); a transport error is one problem without a field. */
export function refusal(answer: Answer, error: { message: string } | undefined): Problem[] {
  if (error) return [{ message: error.message.replace(/^\[(GraphQL|Network)\]\s*/, '') }]
  if (!answer) return [{ message: 'Сервер не ответил.' }]
  if (answer.__typename === 'ValidationFailed' && answer.problems?.length) return answer.problems.map((p) => ({ field: p.field ?? null, message: p.message }))
  if (answer.message) return [{ message: answer.message }]
  return []
}

export function Severity({ value }: { value: string }) {
  return <span className={`sev sev-${value.toLowerCase()}`}>{SEVERITY_WORD[value as SeverityName] ?? value}</span>
}
