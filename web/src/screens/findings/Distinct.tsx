// «Не дубликат» on a duplicate finding's page: two or more of its records ticked, a reason (required), markDistinct
// — one mark a pair; the audit then never raises those pairs again, so the group splits or goes. The live marks
// among the finding's records are listed with «Снять отметку» (removeDistinctMark, an optional reason).
import { useId, useState, type FormEvent } from 'react'
import { useClient } from 'urql'
import type { DistinctMarkFieldsFragment, MergeFindingFragment } from '../../gql/graphql.ts'
import { actorText, formatDateTime } from '../../format.ts'
import { distinctProblem, pairCount } from './merge.ts'
import { FindingOutcome } from './MergeUndo.tsx'
import { MarkDistinctMutation, RemoveDistinctMarkMutation } from './operations.ts'

interface Outcome { text: string; pairs: number; resolved: MergeFindingFragment[]; caused: MergeFindingFragment[] }

export function DistinctForm({ findingId, keys, onClose, onMarked }: {
  findingId: string; keys: readonly string[]; onClose: () => void; onMarked: () => void
}) {
  const client = useClient()
  const id = useId()
  const [ticked, setTicked] = useState<string[]>([...keys])
  const [reason, setReason] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const chosen = keys.filter((k) => ticked.includes(k))
    const refused = distinctProblem(chosen, reason)
    setProblem(refused)
    if (refused) return
    setBusy(true)
    const result = await client.mutation(MarkDistinctMutation, { input: { findingId, keys: chosen, reason: reason.trim() } }).toPromise()
    setBusy(false)
    const answer = result.data?.markDistinct
    if (answer?.__typename === 'MarkDistinctDone') {
      const pairs = answer.marks.map((m) => m.keys.join(' ≠ ')).join('; ')
      setOutcome({ text: `Отмечено «не дубликат»: ${pairs}.`, pairs: answer.marks.length, resolved: answer.resolved, caused: answer.caused })
      onMarked()
    } else if (answer && 'message' in answer) {
      setProblem([answer.message, ...('problems' in answer ? answer.problems.map((p) => p.message) : [])].join(' · '))
    } else setProblem(result.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — отметка не сохранена.')
  }

  if (outcome) {
    return (
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Не дубликат</h2>
        <div className="done" role="status" aria-label="Результат отметки">
          <p><strong>{outcome.text}</strong> {outcome.pairs === 1 ? 'Эту пару' : 'Эти пары'} аудит больше не считает дублями.</p>
          <FindingOutcome resolved={outcome.resolved} caused={outcome.caused} />
        </div>
        <button type="button" className="secondary" onClick={onClose}>Закрыть</button>
      </section>
    )
  }

  const pairs = pairCount(ticked.length)
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Не дубликат</h2>
      <form className="distinct-form" onSubmit={submit} aria-label="Отметить «не дубликат»">
        <fieldset>
          <legend>Какие записи — разные (две или больше)</legend>
          {keys.map((k) => (
            <label key={k} className="choice">
              <input type="checkbox" checked={ticked.includes(k)} onChange={(e) => { setTicked(e.target.checked ? [...ticked, k] : ticked.filter((t) => t !== k)); setProblem(null) }} /> {k}
            </label>
          ))}
        </fieldset>
        <div className="action-field">
          <label htmlFor={`${id}-reason`}>Почему это разные записи <span className="req">(обязательно)</span></label>
          <textarea id={`${id}-reason`} rows={2} value={reason} onChange={(e) => { setReason(e.target.value); setProblem(null) }} aria-invalid={!!problem && !reason.trim()} />
        </div>
        <p className="help">{pairs === 0 ? 'Отметьте хотя бы две записи.' : pairs === 1 ? 'Будет отмечена 1 пара; снять отметку можно потом.'
          : `Будет отмечено пар: ${pairs} — каждая отдельно; снять отметку можно потом с любой.`}</p>
        <div className="form-buttons">
          <button type="submit" disabled={busy}>{busy ? 'Отмечаем…' : 'Отметить «не дубликат»'}</button>
          <button type="button" className="secondary" onClick={onClose}>Отмена</button>
        </div>
        {problem && <p className="problem" role="alert">{problem}</p>}
      </form>
    </section>
  )
}

/** The live «не дубликат» marks among a finding's records, each with «Снять отметку» for roles that may. */
export function DistinctMarks({ marks, canRemove, onRemoved }: { marks: readonly DistinctMarkFieldsFragment[]; canRemove: boolean; onRemoved: () => void }) {
  const live = marks.filter((m) => !m.removedAt)
  if (live.length === 0) return null
  return (
    <section className="card" aria-labelledby="marks-title">
      <h2 id="marks-title">Отмечено «не дубликат»</h2>
      <ul className="plain marks">
        {live.map((m) => <MarkItem key={m.id} mark={m} canRemove={canRemove} onRemoved={onRemoved} />)}
      </ul>
    </section>
  )
}

function MarkItem({ mark, canRemove, onRemoved }: { mark: DistinctMarkFieldsFragment; canRemove: boolean; onRemoved: () => void }) {
  const client = useClient()
  const id = useId()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const pair = mark.keys.join(' ≠ ')

  async function remove(event: FormEvent) {
    event.preventDefault()
    setBusy(true); setProblem(null)
    const result = await client.mutation(RemoveDistinctMarkMutation, { id: mark.id, reason: reason.trim() || null }).toPromise()
    setBusy(false)
    const answer = result.data?.removeDistinctMark
    if (answer?.__typename === 'RemoveDistinctMarkDone') onRemoved()
    else setProblem(answer && 'message' in answer ? answer.message : result.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — отметка не снята.')
  }

  return (
    <li className="mark">
      <strong>{pair}</strong> — {mark.reason} <span className="muted">· {actorText(mark.actor)}, {formatDateTime(mark.createdAt)}</span>
      {canRemove && !open && <> <button type="button" className="secondary" onClick={() => setOpen(true)} aria-label={`Снять отметку ${pair}`}>Снять отметку</button></>}
      {open && (
        <form className="action-form" onSubmit={remove} aria-label={`Снять отметку ${pair}`}>
          <div className="action-field">
            <label htmlFor={`${id}-why`}>Почему снять (необязательно)</label>
            <input id={`${id}-why`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="form-buttons">
            <button type="submit" disabled={busy}>{busy ? 'Снимаем…' : 'Снять отметку'}</button>
            <button type="button" className="secondary" onClick={() => setOpen(false)}>Отмена</button>
          </div>
        </form>
      )}
      {problem && <p className="problem" role="alert">{problem}</p>}
    </li>
  )
}
