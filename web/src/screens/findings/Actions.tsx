// The lifecycle actions on one finding or many: принять, назначить, решить (comment required), исключить (reason
// required, optional expiry), and on a finding's page also взять в работу / открыть снова. Only those the key's
// role may do (`me.permissions`); one request for many findings (bulk.ts); a refusal shown per finding with
// the server's field and message.
import { useId, useState, type FormEvent, type ReactNode } from 'react'
import { useClient } from 'urql'
import { ACTION_WORD, bulkMutation, bulkOutcomes, type Action, type ActionInput, type Outcome } from './bulk.ts'

export interface Group { code: string; name: string; supportLine: number }

const FIELD_WORD: Record<string, string> = { comment: 'Комментарий', reason: 'Причина', until: 'Срок', group: 'Группа', line: 'Линия', assignee: 'Исполнитель', text: 'Комментарий', fingerprint: 'Находка' }

/** The actions a role may do; `work` is workFindings, `comment` commentFindings. */
export function allowedActions(permissions: readonly string[], actions: readonly Action[]): Action[] {
  return actions.filter((a) => a === 'comment' ? permissions.includes('commentFindings') : permissions.includes('workFindings'))
}

/** A labelled field of an action's form (label by id: its name is the label alone, not the options' text). */
function Field({ label, children }: { label: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId()
  return <div className="action-field"><label htmlFor={id}>{label}</label>{children(id)}</div>
}

export function ActionBar({ fingerprints, actions, groups, label, onDone, describe }: {
  fingerprints: readonly string[]; actions: readonly Action[]; groups: readonly Group[]; label: string
  onDone: (outcomes: Outcome[]) => void; describe?: (fingerprint: string) => string
}) {
  const client = useClient()
  const [open, setOpen] = useState<Action | null>(null)
  const [input, setInput] = useState<ActionInput>({})
  const [busy, setBusy] = useState(false)
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  if (actions.length === 0) return null
  const none = fingerprints.length === 0

  async function run(action: Action, given: ActionInput) {
    setBusy(true); setProblem(null); setOutcomes(null)
    const { query, variables } = bulkMutation(action, fingerprints, given)
    const result = await client.mutation(query, variables).toPromise()
    setBusy(false)
    const fallback = result.error ? `Сервер отказал: ${result.error.graphQLErrors[0]?.message ?? 'нет ответа'}` : 'Нет ответа по этой находке'
    const list = bulkOutcomes(fingerprints, result.data as Record<string, unknown> | undefined, fallback)
    setOutcomes(list)
    if (list.every((o) => o.ok)) { setOpen(null); setInput({}) }
    onDone(list)
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!open) return
    if (open === 'resolve' && !input.comment?.trim()) { setProblem('Напишите, что сделано: без комментария находку не решить.'); return }
    if (open === 'waive' && !input.reason?.trim()) { setProblem('Укажите причину исключения.'); return }
    if (open === 'assign' && !input.group) { setProblem('Выберите группу.'); return }
    if (open === 'comment' && !input.text?.trim()) { setProblem('Комментарий пуст.'); return }
    const given: ActionInput = { ...input }
    // a date typed in the form is the end of that day in Moscow (the contact centre's day)
    if (given.until) given.until = new Date(`${given.until}T23:59:59+03:00`).toISOString()
    void run(open, given)
  }

  const failed = outcomes?.filter((o) => !o.ok) ?? []
  const succeeded = outcomes?.filter((o) => o.ok).length ?? 0
  return (
    <div className="actions" aria-label={label} role="group">
      <div className="action-buttons">
        {actions.map((a) => (
          <button key={a} type="button" disabled={none || busy} aria-expanded={a === 'acknowledge' || a === 'start' || a === 'reopen' ? undefined : open === a}
            className={open === a ? 'pressed' : undefined}
            onClick={() => {
              setOutcomes(null); setProblem(null)
              if (a === 'acknowledge' || a === 'start' || a === 'reopen') void run(a, {})
              else setOpen(open === a ? null : a)
            }}>{ACTION_WORD[a]}</button>
        ))}
        {busy && <span className="muted" role="status">Выполняем…</span>}
      </div>
      {open && (
        <form className="action-form" onSubmit={submit} aria-label={ACTION_WORD[open]}>
          {open === 'resolve' && (
            <Field label={<>Комментарий: что сделано <span className="req">(обязательно)</span></>}>{(id) => (
              <textarea id={id} rows={2} value={input.comment ?? ''} onChange={(e) => setInput({ ...input, comment: e.target.value })} aria-invalid={!!problem} />
            )}</Field>
          )}
          {open === 'waive' && (<>
            <Field label={<>Причина исключения <span className="req">(обязательно)</span></>}>{(id) => (
              <input id={id} value={input.reason ?? ''} onChange={(e) => setInput({ ...input, reason: e.target.value })} aria-invalid={!!problem} />
            )}</Field>
            <Field label={<>Действует до (необязательно; пусто — бессрочно)</>}>{(id) => (
              <input id={id} type="date" value={input.until ?? ''} onChange={(e) => setInput({ ...input, until: e.target.value || null })} />
            )}</Field>
          </>)}
          {open === 'assign' && (<>
            <Field label={<>Группа</>}>{(id) => (
              <select id={id} value={input.group ?? ''} onChange={(e) => setInput({ ...input, group: e.target.value })}>
                <option value="">— выберите —</option>
                {groups.map((g) => <option key={g.code} value={g.code}>{g.name} ({g.code})</option>)}
              </select>
            )}</Field>
            <Field label={<>Линия</>}>{(id) => (
              <select id={id} value={input.line ?? ''} onChange={(e) => setInput({ ...input, line: e.target.value ? Number(e.target.value) : null })}>
                <option value="">как у группы</option>
                <option value="1">1-я</option><option value="2">2-я</option><option value="3">3-я</option>
              </select>
            )}</Field>
            <Field label={<>Исполнитель</>}>{(id) => (
              <input id={id} value={input.assignee ?? ''} onChange={(e) => setInput({ ...input, assignee: e.target.value || null })} placeholder="необязательно" />
            )}</Field>
          </>)}
          {open === 'comment' && (
            <Field label={<>Комментарий</>}>{(id) => (
              <textarea id={id} rows={2} value={input.text ?? ''} onChange={(e) => setInput({ ...input, text: e.target.value })} aria-invalid={!!problem} />
            )}</Field>
          )}
          <div className="form-buttons">
            <button type="submit" disabled={busy}>{ACTION_WORD[open]}{fingerprints.length > 1 ? ` (${fingerprints.length})` : ''}</button>
            <button type="button" className="secondary" onClick={() => { setOpen(null); setProblem(null) }}>Отмена</button>
          </div>
        </form>
      )}
      {problem && <p className="problem" role="alert">{problem}</p>}
      {outcomes && succeeded > 0 && <p className="done" role="status">Готово: {succeeded} из {outcomes.length}.</p>}
      {failed.length > 0 && (
        <div role="alert"><ul className="refusals" aria-label="Отказы">
          {failed.map((o) => (
            <li key={o.fingerprint} className="problem">
              <span className="refused">{describe ? describe(o.fingerprint) : o.fingerprint}</span>: {o.message}
              {o.problems?.map((p, i) => <span key={i}> · {p.field ? `${FIELD_WORD[p.field.split('.').pop()!] ?? p.field}: ` : ''}{p.message}</span>)}
            </li>
          ))}
        </ul></div>
      )}
    </div>
  )
}
