// /records/<type>/<key>: a record with inline editing. While editing, checkConflicts says which findings the
// change would cause (before saving); after saving, the findings the write caused and resolved. Field problems
// from ValidationFailed are shown at the field. A record outside the key's markets is «нет», never shown. An
// address or a customer also shows its aliases and merges (Merges.tsx).
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { useClient, useQuery } from 'urql'
import type { ChangeFragment } from '../../gql/graphql.ts'
import { count, ENTITY_WORD, FINDING_STATUS_WORD, FINDINGS } from '../../format.ts'
import { matchPath, navigate, usePath } from '../../router.ts'
import '../findings/findings.css'
import type { Viewer } from '../../SignIn.tsx'
import { Severity } from '../Card.tsx'
import { findingHref } from '../findings/FindingsTable.tsx'
import { candidateInput, changedInput, EDITABLE, problemField, valuesOf, type Values } from './edit.ts'
import { RECORD_TYPES, recordHref } from './fields.ts'
import { RecordMerges } from './Merges.tsx'
import {
  CheckConflictsQuery, RecordPageQuery, UpdateAddressMutation, UpdateContractMutation, UpdateCustomerMutation, UpdateEquipmentMutation,
} from './operations.ts'

type Type = (typeof RECORD_TYPES)[number]
const UPDATE = { equipment: UpdateEquipmentMutation, address: UpdateAddressMutation, customer: UpdateCustomerMutation, contract: UpdateContractMutation } as const
const FIELD_RESULT = { equipment: 'updateEquipment', address: 'updateAddress', customer: 'updateCustomer', contract: 'updateContract' } as const

export function RecordRoute({ viewer }: { viewer: Viewer }) {
  const path = usePath()
  const params = matchPath('/records/:type/:key', path)
  if (!params || !(RECORD_TYPES as readonly string[]).includes(params.type)) {
    return <main className="placeholder"><h1>Такой страницы нет</h1><p>Адрес: <code>{path}</code>.</p></main>
  }
  return <RecordPage key={path} type={params.type as Type} recordKey={params.key} viewer={viewer} />
}

interface Problem { field: string | null; message: string }
interface Saved { caused: ChangeFragment[]; resolved: ChangeFragment[]; queued: boolean }
/** An update's answer under its field, the success's and the errors' fields side by side: __typename tells which are there. */
interface WriteAnswer {
  __typename: string
  data: { findingsCaused: ChangeFragment[]; findingsResolved: ChangeFragment[]; recheckQueued: boolean }
  message: string
  problems?: Problem[] | null
}

function RecordPage({ type, recordKey, viewer }: { type: Type; recordKey: string; viewer: Viewer }) {
  const client = useClient()
  const [result, refetch] = useQuery({ query: RecordPageQuery, variables: { type, key: recordKey } })
  const stored = useMemo(() => valuesOf(result.data?.conflicts?.subject.node), [result.data])
  const [edited, setEdited] = useState<Values | null>(null)
  const [check, setCheck] = useState<{ findings: ChangeFragment[] } | { problems: Problem[] } | null>(null)
  const [problems, setProblems] = useState<Problem[]>([])
  const [saved, setSaved] = useState<Saved | null>(null)
  const [busy, setBusy] = useState(false)
  const canEdit = viewer.permissions.includes('writeMasterData')
  const canCheck = viewer.permissions.includes('checkConflicts')
  const values = edited ?? stored
  const changes = changedInput(type, stored, values)
  const dirty = Object.keys(changes).length > 0

  // before saving: what the record as edited would cause (asked again a moment after the typing stops);
  // the values are compared by content: `values` is a new object on every render
  const valuesText = JSON.stringify(values)
  useEffect(() => {
    // oxlint-disable-next-line react/set-state-in-effect -- an edit undone clears the last check at once, not after the delay
    if (!dirty || !canCheck) { setCheck(null); return }
    const timer = setTimeout(async () => {
      const answer = (await client.query(CheckConflictsQuery, { input: candidateInput(type, recordKey, JSON.parse(valuesText) as Values) as never }, { requestPolicy: 'network-only' }).toPromise()).data?.checkConflicts
      if (!answer) return
      if (answer.__typename === 'QueryCheckConflictsSuccess') setCheck({ findings: answer.data.findings })
      else setCheck({ problems: 'problems' in answer && answer.problems.length ? answer.problems : [{ field: null, message: answer.message }] })
    }, 350)
    return () => clearTimeout(timer)
  }, [valuesText, dirty, canCheck, client, type, recordKey])

  if (result.fetching && !result.data) return <main className="loading" aria-busy="true">Загружаем запись…</main>
  if (result.error && !result.data) {
    return <main className="placeholder"><h1>Запись не загрузилась</h1><p className="problem" role="alert">{result.error.graphQLErrors[0]?.message ?? 'Сервер не ответил.'}</p></main>
  }
  const conflicts = result.data?.conflicts
  if (!conflicts) {
    return (
      <main className="placeholder" aria-labelledby="record-title">
        <h1 id="record-title">Записи нет</h1>
        <p>{ENTITY_WORD[type]} <code>{recordKey}</code>: такой записи нет, или она вне рынков вашего ключа.</p>
      </main>
    )
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    setBusy(true); setProblems([]); setSaved(null)
    const mutation = UPDATE[type]
    const answerOf = (data: unknown) => (data as Record<string, WriteAnswer | undefined> | undefined)?.[FIELD_RESULT[type]]
    const response = await client.mutation(mutation, { key: recordKey, input: changes as never }).toPromise()
    setBusy(false)
    const answer = answerOf(response.data)
    if (!answer) { setProblems([{ field: null, message: response.error?.graphQLErrors[0]?.message ?? 'Сервер не ответил — изменения не сохранены.' }]); return }
    if (answer.__typename.endsWith('Success')) {
      setSaved({ caused: answer.data.findingsCaused, resolved: answer.data.findingsResolved, queued: answer.data.recheckQueued })
      setEdited(null); setCheck(null)
      refetch({ requestPolicy: 'network-only' })
    } else setProblems(answer.problems?.length ? answer.problems : [{ field: null, message: answer.message }])
  }

  /** a field typed in: its value kept, the save's refusal of it forgotten (the check says anew) */
  function edit(name: string, value: string) {
    setEdited({ ...values, [name]: value })
    setProblems((list) => list.filter((p) => problemField(p.field) !== name))
  }

  const checkProblems = check && 'problems' in check ? check.problems : []
  const atField = (name: string) => [...problems, ...checkProblems].filter((p) => problemField(p.field) === name)
  const general = problems.filter((p) => !EDITABLE[type].some((f) => f.name === problemField(p.field)))
  const wouldCause = check && 'findings' in check ? check.findings.filter((f) => f.status === null) : []
  const alreadyThere = check && 'findings' in check ? check.findings.filter((f) => f.status !== null) : []

  return (
    <main className="record-page" aria-labelledby="record-title">
      <h1 id="record-title"><span className="muted">{ENTITY_WORD[type]}</span> {recordKey}</h1>
      <div className="card-grid">
        <form className="card record-form" onSubmit={save} aria-label="Поля записи">
          {EDITABLE[type].map((f) => {
            const id = `field-${f.name}`
            const own = atField(f.name)
            const changed = f.name in changes
            return (
              <div key={f.name} className={`field${changed ? ' changed' : ''}`}>
                <label htmlFor={id}>{f.label}{changed && <span className="muted"> (изменено)</span>}</label>
                {f.kind === 'select'
                  ? <select id={id} disabled={!canEdit} value={values[f.name] ?? ''} aria-invalid={own.length > 0} onChange={(e) => edit(f.name, e.target.value)}>
                      {!f.required && <option value="">—</option>}
                      {Object.entries(f.options ?? {}).map(([v, word]) => <option key={v} value={v}>{word}</option>)}
                    </select>
                  : <input id={id} type={f.kind === 'date' ? 'date' : 'text'} readOnly={!canEdit} value={values[f.name] ?? ''} aria-invalid={own.length > 0}
                      aria-describedby={own.length ? `${id}-problem` : undefined} onChange={(e) => edit(f.name, e.target.value)} />}
                {own.length > 0 && <p id={`${id}-problem`} className="problem field-problem" role="alert">{own.map((p) => p.message).join('; ')}</p>}
              </div>
            )
          })}
          {general.map((p, i) => <p key={i} className="problem" role="alert">{p.field ? `${p.field}: ` : ''}{p.message}</p>)}
          {canEdit ? (
            <div className="form-buttons">
              <button type="submit" disabled={!dirty || busy}>{busy ? 'Сохраняем…' : 'Сохранить'}</button>
              <button type="button" className="secondary" disabled={!dirty || busy} onClick={() => { setEdited(null); setProblems([]) }}>Отменить правку</button>
            </div>
          ) : <p className="help">Править записи вашему ключу нельзя.</p>}
          {dirty && check && 'findings' in check && (
            <div className={wouldCause.length ? 'warning' : 'done'} role="status" aria-label="Проверка до сохранения">
              {wouldCause.length === 0
                ? <p>Проверено: новых находок эта правка не вызовет.</p>
                : <>
                    <p><strong>Если сохранить, появится {count(wouldCause.length, FINDINGS)}:</strong></p>
                    <ChangeList changes={wouldCause} />
                  </>}
              {alreadyThere.length > 0 && <p className="muted">Останется {count(alreadyThere.length, FINDINGS)}, уже известных Сверке.</p>}
            </div>
          )}
          {saved && (
            <div className="done" role="status" aria-label="Результат сохранения">
              <p><strong>Сохранено.</strong> {saved.queued ? 'Проверка правил поставлена в очередь — находки обновятся через минуту.'
                : `Появилось: ${count(saved.caused.length, FINDINGS)}; решено: ${count(saved.resolved.length, FINDINGS)}.`}</p>
              {saved.caused.length > 0 && <><h3>Вызвала</h3><ChangeList changes={saved.caused} /></>}
              {saved.resolved.length > 0 && <><h3>Решила</h3><ChangeList changes={saved.resolved} /></>}
            </div>
          )}
        </form>
        <section className="card" aria-labelledby="around-title">
          <h2 id="around-title">Открытые находки: {count(conflicts.count, FINDINGS)}</h2>
          {conflicts.findings.length === 0 ? <p className="ok">Вокруг этой записи открытых находок нет.</p> : <ChangeList changes={conflicts.findings.map((f) => ({ ...f, __typename: 'FindingChange', entities: [] }))} />}
          <h3>Рядом</h3>
          {conflicts.neighbours.length === 0 ? <p className="muted">Связанных записей нет.</p> : (
            <ul className="plain">
              {conflicts.neighbours.map((n) => (
                <li key={`${n.type}:${n.key}`}>{ENTITY_WORD[n.type]}{' '}
                  {n.node ? <a href={recordHref(n.type, n.key)} onClick={(e) => { e.preventDefault(); navigate(recordHref(n.type, n.key)) }}>{n.key}</a> : <span className="muted">{n.key} (нет доступа)</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {(type === 'address' || type === 'customer') && (
        <RecordMerges type={type} recordKey={recordKey} canUndo={viewer.permissions.includes('mergeRecords')} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
      )}
    </main>
  )
}

function ChangeList({ changes }: { changes: ReadonlyArray<Pick<ChangeFragment, 'fingerprint' | 'severity' | 'message' | 'status'> & { ruleTitle?: string | null }> }) {
  return (
    <ul className="changes">
      {changes.map((c) => (
        <li key={c.fingerprint}>
          <Severity value={c.severity} />{' '}
          <a href={findingHref(c.fingerprint)} onClick={(e) => { e.preventDefault(); navigate(findingHref(c.fingerprint)) }}>{c.message}</a>
          {c.status && <span className="muted"> · {FINDING_STATUS_WORD[c.status] ?? c.status}</span>}
        </li>
      ))}
    </ul>
  )
}
