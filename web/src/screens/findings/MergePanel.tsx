// «Объединить» on a duplicate finding's page: the group's records side by side (a column each, the import fields as
// rows, the values that differ marked), the survivor chosen by a radio (the server's proposal preselected, with its
// reason), per differing field the member whose value is kept; «Предпросмотр» asks previewMerge what would move,
// resolve and appear; «Объединить» sends mergeRecords with that preview's version, so a record changed meanwhile
// is refused (Conflict) instead of merged unseen — the refusal offers a fresh preview.
import { useState } from 'react'
import { useClient, useQuery } from 'urql'
import type { MergeFindingFragment, PreviewMergeQuery as PreviewData, RecordMergeFieldsFragment } from '../../gql/graphql.ts'
import { count, FINDINGS, formatDate } from '../../format.ts'
import { navigate } from '../../router.ts'
import { Severity } from '../Card.tsx'
import { recordHref } from '../record/fields.ts'
import {
  choiceKey, fieldWord, mergeInput, MOVE_WORD, shownSource, SURVIVOR_REASON_WORD, valueText, type MergeableType, type MergeChoice,
} from './merge.ts'
import { FindingLinks, FindingOutcome } from './MergeUndo.tsx'
import { MergeRecordsMutation, PreviewMergeQuery } from './operations.ts'

type Preview = NonNullable<PreviewData['previewMerge']>
interface Done { merge: RecordMergeFieldsFragment; resolved: MergeFindingFragment[]; caused: MergeFindingFragment[]; queued: boolean }

const RECORDS_OF: Record<MergeableType, string> = { ADDRESS: 'адреса', CUSTOMER: 'клиента' }

export function MergePanel({ findingId, type, keys, onClose, onMerged }: {
  findingId: string; type: MergeableType; keys: readonly string[]; onClose: () => void; onMerged: () => void
}) {
  const client = useClient()
  // the group as the server sees it: its members, fields and the proposed survivor with its reason
  const [initial] = useQuery({ query: PreviewMergeQuery, variables: { input: { type, keys: [...keys], findingId } } })
  /** the last preview asked for with the person's choices */
  const [asked, setAsked] = useState<Preview | null>(null)
  const preview = asked ?? initial.data?.previewMerge ?? null
  /** the choice the preview on screen was asked for (its consequences are shown only while nothing changed since) */
  const [shownFor, setShownFor] = useState<string | null>(null)
  const [survivor, setSurvivor] = useState<string | null>(null)
  const [chosen, setChosen] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState<'preview' | 'merge' | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [conflict, setConflict] = useState<string | null>(null)
  const [done, setDone] = useState<Done | null>(null)
  /** why the server proposes its survivor: from the first preview (one asked with a chosen survivor says CHOSEN) */
  const proposedReason = initial.data?.previewMerge?.reason ?? null

  const choice = (p: Preview): MergeChoice => ({ type, keys, survivor, fields: p.fields, previewSurvivor: p.survivor, chosen, findingId })

  async function ask(input: ReturnType<typeof mergeInput>) {
    setBusy('preview'); setProblem(null)
    const result = await client.query(PreviewMergeQuery, { input }, { requestPolicy: 'network-only' }).toPromise()
    setBusy(null)
    const answer = result.data?.previewMerge
    if (!answer) { setProblem(result.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — предпросмотра нет.'); return }
    setAsked(answer)
    setConflict(null)
    // its consequences stand for what «Объединить» would now send (the choices of when it was asked, on its fields)
    setShownFor(choiceKey(choice(answer)))
  }

  if (!preview) {
    const failed = problem ?? (initial.error ? initial.error.graphQLErrors[0]?.message ?? 'Сервер не ответил — предпросмотра нет.' : null)
    return (
      <section className="card merge-panel" aria-labelledby="merge-title">
        <h2 id="merge-title">Объединить записи</h2>
        {failed ? <p className="problem" role="alert">{failed}</p> : <p className="muted" aria-busy="true">Загружаем записи группы…</p>}
        <button type="button" className="secondary" onClick={onClose}>Закрыть</button>
      </section>
    )
  }

  const current = choice(preview)
  const currentKey = choiceKey(current)
  const fresh = shownFor === currentKey
  const kept = survivor ?? preview.proposed
  // the columns keep the order of the finding's records, whichever is the survivor
  const members = [...preview.members].sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key))
  const others = members.filter((m) => m.key !== kept).map((m) => m.key)

  async function merge() {
    if (!preview) return
    setBusy('merge'); setProblem(null); setConflict(null)
    const input = mergeInput({ ...choice(preview), version: preview.version })
    const result = await client.mutation(MergeRecordsMutation, { input }).toPromise()
    setBusy(null)
    const answer = result.data?.mergeRecords
    if (answer?.__typename === 'MergeDone') {
      setDone({ merge: answer.merge, resolved: answer.resolved, caused: answer.caused, queued: answer.recheckQueued })
      onMerged()
    } else if (answer?.__typename === 'Conflict') {
      setConflict(answer.message); setShownFor(null)
    } else if (answer && 'message' in answer) {
      setProblem([answer.message, ...('problems' in answer ? answer.problems.map((p) => p.message) : [])].join(' · '))
    } else setProblem(result.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — записи не объединены.')
  }

  if (done) {
    const href = recordHref(done.merge.type.toLowerCase(), done.merge.survivor)
    return (
      <section className="card merge-panel" aria-labelledby="merge-title">
        <h2 id="merge-title">Записи объединены</h2>
        <div className="done" role="status" aria-label="Результат объединения">
          <p><strong>Объединено:</strong> {done.merge.members.filter((m) => m !== done.merge.survivor).join(', ')} → {done.merge.survivor}.
            {' '}Их коды теперь ведут на <a href={href} onClick={(e) => { e.preventDefault(); navigate(href) }}>запись {done.merge.survivor}</a>.</p>
          {done.merge.moves.length > 0 && <p>Перенесено: {done.merge.moves.map((m) => `${MOVE_WORD[m.type] ?? m.type} ${m.key}`).join(', ')}.</p>}
          <FindingOutcome resolved={done.resolved} caused={done.caused} queued={done.queued} />
          <p className="muted">Отменить можно в истории находки («Отменить объединение»), пока перенесённые записи не менялись.</p>
        </div>
        <button type="button" className="secondary" onClick={onClose}>Закрыть</button>
      </section>
    )
  }

  return (
    <section className="card merge-panel" aria-labelledby="merge-title">
      <h2 id="merge-title">Объединить записи {RECORDS_OF[type]}</h2>
      <p className="help">Выберите запись, которая останется, и для каждого различающегося поля — чьё значение она возьмёт.
        Остальные записи будут удалены, их договоры, устройства и обращения перейдут к оставшейся, а их коды станут её псевдонимами.</p>
      <div className="side-scroll">
        <table className="dense side merge-table">
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">Поле</span></th>
              {members.map((m) => (
                <th key={m.key} scope="col" className={m.key === kept ? 'survivor' : undefined}>
                  <label className="choice">
                    <input type="radio" name="merge-survivor" value={m.key} checked={m.key === kept}
                      onChange={() => setSurvivor(m.key)} aria-describedby={m.key === preview.proposed ? 'merge-proposed' : undefined} />
                    {' '}Оставить {m.key}
                  </label>
                  {m.key === preview.proposed && <div id="merge-proposed" className="muted proposed">предлагается: {SURVIVOR_REASON_WORD[proposedReason ?? ''] ?? 'по правилам'}</div>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {/* a column no member fills says nothing */}
            {preview.fields.filter((f) => f.options.some((o) => o.value)).map((f) => {
              const from = shownSource(f, kept, preview.survivor, chosen)
              const label = fieldWord(f.field)
              return (
                <tr key={f.field} className={f.differs ? 'differs' : undefined}>
                  <th scope="row">{label}{f.differs && <span className="visually-hidden"> (различается)</span>}</th>
                  {members.map((m) => {
                    const value = f.options.find((o) => o.key === m.key)?.value ?? null
                    const text = valueText(f.field, value)
                    if (!f.differs) return <td key={m.key}>{text}</td>
                    return (
                      <td key={m.key} className={from === m.key ? 'taken' : undefined}>
                        <label className="choice">
                          <input type="radio" name={`merge-field-${f.field}`} checked={from === m.key} disabled={!value}
                            aria-label={`${label}: взять у ${m.key}${value ? ` — ${text}` : ' (пусто)'}`}
                            onChange={() => setChosen({ ...chosen, [f.field]: m.key })} />
                          {' '}{value ? <mark className="diff">{text}</mark> : <span className="muted">пусто</span>}
                        </label>
                      </td>
                    )
                  })}
                </tr>
              )
            })}
            <tr className="links">
              <th scope="row">Связи</th>
              {members.map((m) => <td key={m.key}>договоров {m.contracts}, устройств {m.devices}, обращений {m.incidents}</td>)}
            </tr>
            <tr>
              <th scope="row">Заполнено полей</th>
              {members.map((m) => <td key={m.key}>{m.filled}</td>)}
            </tr>
            <tr>
              <th scope="row">Заведена</th>
              {members.map((m) => <td key={m.key}>{formatDate(m.createdAt)}</td>)}
            </tr>
          </tbody>
        </table>
      </div>
      <div className="form-buttons merge-buttons">
        <button type="button" className={fresh ? 'secondary' : undefined} disabled={busy !== null} onClick={() => void ask(mergeInput(current))}>
          {busy === 'preview' ? 'Считаем…' : 'Предпросмотр'}
        </button>
        <button type="button" disabled={!fresh || busy !== null} onClick={() => void merge()} aria-describedby={fresh ? undefined : 'merge-need-preview'}>
          {busy === 'merge' ? 'Объединяем…' : `Объединить в ${kept}`}
        </button>
        <button type="button" className="secondary" onClick={onClose}>Закрыть</button>
      </div>
      {!fresh && !conflict && <p id="merge-need-preview" className="help">Сначала «Предпросмотр»: он покажет, что перейдёт к {kept} и какие находки решатся или появятся.</p>}
      {problem && <p className="problem" role="alert">{problem}</p>}
      {conflict && (
        <div className="problem" role="alert">
          <p><strong>Не объединено:</strong> {conflict}</p>
          <p>Записи изменились после предпросмотра. Посмотрите их заново и объедините, если всё ещё нужно.</p>
          <button type="button" onClick={() => void ask(mergeInput(current))}>Предпросмотр заново</button>
        </div>
      )}
      {fresh && <Consequences preview={preview} survivor={kept} others={others} />}
    </section>
  )
}

/** What the previewed merge would do: the records that move, the members removed, findings resolved and appearing. */
function Consequences({ preview, survivor, others }: { preview: Preview; survivor: string; others: string[] }) {
  return (
    <div className="merge-preview" role="region" aria-label="Предпросмотр объединения">
      <h3>Если объединить</h3>
      <p>Останется <strong>{survivor}</strong>; {others.join(', ')} {others.length === 1 ? 'будет удалена, её код станет' : 'будут удалены, их коды станут'} псевдонимом {survivor}.</p>
      {preview.moves.length === 0 ? <p className="muted">Переносить нечего: у {others.join(', ')} нет договоров, устройств и обращений.</p> : (<>
        <p>Перейдут к {survivor}:</p>
        <ul className="changes moves">
          {preview.moves.map((m) => <li key={`${m.type}:${m.key}`}>{MOVE_WORD[m.type] ?? m.type} {m.key} <span className="muted">(был у {m.from})</span></li>)}
        </ul>
      </>)}
      <p><strong>Решатся: {count(preview.resolving.length, FINDINGS)}</strong></p>
      <FindingLinks findings={preview.resolving} label="Решатся" />
      <p><strong>Появятся: {count(preview.appearing.length, FINDINGS)}</strong></p>
      {preview.appearing.length > 0 && (
        <ul className="changes" aria-label="Появятся">
          {preview.appearing.map((f) => <li key={f.fingerprint}><Severity value={f.severity} /> {f.message}</li>)}
        </ul>
      )}
    </div>
  )
}
