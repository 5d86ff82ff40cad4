// On an address's or a customer's page: the keys merged into it (aliases: a lookup or an import row by one lands
// here) and the merges that made it — who, when, what moved — each undoable by roles with mergeRecords while no later
// change touched what it moved. A page opened by an alias says whose alias it is.
import { useQuery } from 'urql'
import { actorText, formatDateTime } from '../../format.ts'
import { navigate } from '../../router.ts'
import { MOVE_WORD } from '../findings/merge.ts'
import { MergeState, UndoAnswerView, useUndo } from '../findings/MergeUndo.tsx'
import type { RecordMergeFieldsFragment } from '../../gql/graphql.ts'
import { recordHref } from './fields.ts'
import { RecordMergesQuery } from './operations.ts'

export function RecordMerges({ type, recordKey, canUndo, onChanged }: {
  type: 'address' | 'customer'; recordKey: string; canUndo: boolean; onChanged: () => void
}) {
  const [result, refetch] = useQuery({ query: RecordMergesQuery, variables: { key: recordKey, address: type === 'address', customer: type === 'customer' } })
  const record = type === 'address' ? result.data?.address : result.data?.customer
  if (!record) return null
  const reload = () => { refetch({ requestPolicy: 'network-only' }); onChanged() }
  const href = recordHref(type, record.code)
  return (
    <section className="card" aria-labelledby="merges-title">
      <h2 id="merges-title">Объединения</h2>
      {record.code !== recordKey && (
        <p className="warning" role="note"><strong>{recordKey}</strong> — прежний код: запись объединена в{' '}
          <a href={href} onClick={(e) => { e.preventDefault(); navigate(href) }}>{record.code}</a>.</p>
      )}
      <p><span className="muted">Прежние коды (псевдонимы):</span>{' '}
        {record.aliases.length ? <span className="aliases">{record.aliases.join(', ')}</span> : <span className="muted">нет</span>}</p>
      {record.merges.length === 0 ? <p className="muted">С этой записью ничего не объединяли.</p> : (
        <ul className="plain merges">
          {record.merges.map((m) => <MergeItem key={m.id} merge={m} canUndo={canUndo} onDone={reload} />)}
        </ul>
      )}
    </section>
  )
}

function MergeItem({ merge, canUndo, onDone }: { merge: RecordMergeFieldsFragment; canUndo: boolean; onDone: () => void }) {
  const { busy, answer, undo } = useUndo(onDone)
  return (
    <li className="merge">
      <MergeState merge={merge} /> <span className="muted">· {formatDateTime(merge.at)}, {actorText(merge.actor)}</span>
      {merge.moves.length > 0 && <div className="muted">Перенесено: {merge.moves.map((m) => `${MOVE_WORD[m.type] ?? m.type} ${m.key}`).join(', ')}</div>}
      {!merge.undoneAt && canUndo && (
        <button type="button" className="secondary" disabled={busy} onClick={() => void undo(merge.id)}>{busy ? 'Отменяем…' : 'Отменить объединение'}</button>
      )}
      <UndoAnswerView answer={answer} />
    </li>
  )
}
