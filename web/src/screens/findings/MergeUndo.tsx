// What a merge or a mark changed in findings, as links; and «Отменить объединение» for one merge — in a finding's
// history (its `merged` event) and on the survivor's page. The merge's own state says whether it was undone;
// a refusal (Conflict: a moved record changed since) is shown with the server's message.
import { useState } from 'react'
import { useClient, useQuery } from 'urql'
import type { MergeFindingFragment, RecordMergeFieldsFragment } from '../../gql/graphql.ts'
import { actorText, count, FINDING_STATUS_WORD, FINDINGS, formatDateTime } from '../../format.ts'
import { navigate } from '../../router.ts'
import { Severity } from '../Card.tsx'
import { findingHref } from './FindingsTable.tsx'
import { mergedText } from './merge.ts'
import { MergeStateQuery, UnmergeRecordsMutation } from './operations.ts'

export function FindingLinks({ findings, label }: { findings: readonly MergeFindingFragment[]; label: string }) {
  if (findings.length === 0) return null
  return (
    <ul className="changes" aria-label={label}>
      {findings.map((f) => (
        <li key={f.fingerprint}>
          <Severity value={f.severity} />{' '}
          <a href={findingHref(f.fingerprint)} onClick={(e) => { e.preventDefault(); navigate(findingHref(f.fingerprint)) }}>{f.message}</a>
          <span className="muted"> · {FINDING_STATUS_WORD[f.status] ?? f.status}</span>
        </li>
      ))}
    </ul>
  )
}

/** What a merge, an undo or a mark did to findings: «Решено: 1 находка; появилось: 0 находок», then the lists. */
export function FindingOutcome({ resolved, caused, queued }: { resolved: readonly MergeFindingFragment[]; caused: readonly MergeFindingFragment[]; queued?: boolean }) {
  if (queued) return <p>Проверка правил поставлена в очередь — находки обновятся через минуту.</p>
  return (<>
    <p>Решено: {count(resolved.length, FINDINGS)}; появилось: {count(caused.length, FINDINGS)}.</p>
    <FindingLinks findings={resolved} label="Решены" />
    <FindingLinks findings={caused} label="Появились" />
  </>)
}

type UndoAnswer = { kind: 'done'; resolved: MergeFindingFragment[]; caused: MergeFindingFragment[]; queued: boolean } | { kind: 'refused'; message: string }

/** Undo of one merge: asks unmergeRecords, says the outcome; `onDone` lets the page load what came back. */
export function useUndo(onDone: () => void) {
  const client = useClient()
  const [busy, setBusy] = useState(false)
  const [answer, setAnswer] = useState<UndoAnswer | null>(null)
  async function undo(id: string) {
    setBusy(true); setAnswer(null)
    const result = await client.mutation(UnmergeRecordsMutation, { id }).toPromise()
    setBusy(false)
    const a = result.data?.unmergeRecords
    if (a?.__typename === 'MergeDone') {
      setAnswer({ kind: 'done', resolved: a.resolved, caused: a.caused, queued: a.recheckQueued })
      onDone()
    } else setAnswer({ kind: 'refused', message: a && 'message' in a ? a.message : result.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — объединение не отменено.' })
  }
  return { busy, answer, undo }
}

export function UndoAnswerView({ answer }: { answer: UndoAnswer | null }) {
  if (!answer) return null
  if (answer.kind === 'refused') return <p className="problem" role="alert">Отменить нельзя: {answer.message}</p>
  return <div className="done" role="status"><p><strong>Объединение отменено</strong>, записи восстановлены.</p><FindingOutcome resolved={answer.resolved} caused={answer.caused} queued={answer.queued} /></div>
}

/** A merge's state and its undo button, for a `merged` event of a finding's history (the merge read by its id). */
export function MergeEventUndo({ mergeId, said, canUndo, onDone }: { mergeId: string; said: string; canUndo: boolean; onDone: () => void }) {
  const [state, refetch] = useQuery({ query: MergeStateQuery, variables: { id: mergeId } })
  const { busy, answer, undo } = useUndo(() => { refetch({ requestPolicy: 'network-only' }); onDone() })
  const merge = state.data?.merge
  return (
    <div className="merge-undo">
      {/* the event's own words while the merge loads, or when the key may not read it */}
      {merge ? <MergeState merge={merge} /> : <span>{said}</span>}
      {merge && !merge.undoneAt && canUndo && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void undo(merge.id)}>{busy ? 'Отменяем…' : 'Отменить объединение'}</button>
      )}
      <UndoAnswerView answer={answer} />
    </div>
  )
}

/** «A-2 → A-1», and when undone, by whom. */
export function MergeState({ merge }: { merge: Pick<RecordMergeFieldsFragment, 'survivor' | 'members' | 'undoneAt' | 'undoneBy'> }) {
  return (
    <span className="merge-state">
      {mergedText(merge.survivor, merge.members)}
      {merge.undoneAt && <span className="muted"> · отменено {formatDateTime(merge.undoneAt)}{merge.undoneBy ? `, ${actorText(merge.undoneBy)}` : ''}</span>}
    </span>
  )
}
