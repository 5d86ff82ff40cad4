// Small pieces the tabs share: a field's problems under it, a market chooser, a mutation's answer turned into problems.
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

/** A market chooser with its label and problems: a key limited to markets is offered only its own, without «все рынки». */
export function MarketField({ id, value, onChange, markets, limited, problems }: {
  id: string; value: string; onChange: (code: string) => void
  markets: ReadonlyArray<{ code: string; name: string }>; limited: boolean; problems: readonly string[] | undefined
}) {
  return (
    <>
      <label htmlFor={id}>Рынок</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...invalid(`${id}-problem`, problems)}>
        {!limited && <option value="">все рынки</option>}
        {markets.map((m) => <option key={m.code} value={m.code}>{m.code} — {m.name}</option>)}
      </select>
      <FieldProblems id={`${id}-problem`} messages={problems} />
    </>
  )
}
