// /findings/<fingerprint>: one finding — rule, severity, status, message, group and line, due; its records side by
// side with the differing fields marked (and which letters differ); its history and comments; linked incidents;
// the lifecycle actions the key's role may do. A duplicate group (rule kind fuzzy-duplicate) also offers, to roles
// with mergeRecords, «Объединить» (MergePanel.tsx), «Не дубликат» and its marks (Distinct.tsx), and a merge's undo
// in the history (MergeUndo.tsx).
import { useState } from 'react'
import { useQuery } from 'urql'
import type { FindingPageQuery as FindingPageData } from '../../gql/graphql.ts'
import {
  actorText, CHANNEL_WORD, ENTITY_WORD, FINDING_STATUS_WORD, formatDateTime, KIND_WORD, supportLine,
} from '../../format.ts'
import { navigate } from '../../router.ts'
import type { Viewer } from '../../SignIn.tsx'
import { Severity } from '../Card.tsx'
import { RECORD_TYPES, recordFields, recordHref } from '../record/fields.ts'
import { ActionBar, allowedActions } from './Actions.tsx'
import type { Action } from './bulk.ts'
import { charDiff, differingFields } from './diff.ts'
import { DistinctForm, DistinctMarks } from './Distinct.tsx'
import { mergeableTypeOf, mergedEvent, mergedText } from './merge.ts'
import { MergePanel } from './MergePanel.tsx'
import { MergeEventUndo } from './MergeUndo.tsx'
import { FindingPageQuery, FindingsChoicesQuery } from './operations.ts'

type Finding = NonNullable<FindingPageData['finding']>

const ACTION_EVENT_WORD: Record<string, string> = {
  detected: 'найдена', confirmed: 'подтверждена аудитом', acknowledged: 'принята', assigned: 'назначена', started: 'взята в работу', resolved: 'решена',
  waived: 'исключена', reopened: 'открыта снова', commented: 'комментарий', escalated: 'эскалирована', 'incident-linked': 'связана с обращением', 'incident-unlinked': 'связь с обращением снята',
  'waiver-expired': 'срок исключения истёк', merged: 'записи объединены', unmerged: 'объединение отменено',
  'marked-distinct': 'отмечено «не дубликат»', 'distinct-mark-removed': 'отметка «не дубликат» снята',
}

/** The few reasons the system writes in English, for people. */
const SYSTEM_REASON: Record<string, string> = {
  'first detected': 'впервые найдена аудитом', 'detected again': 'найдена снова', 'no longer detected': 'больше не находится',
  'the collision is back': 'нарушение снова находится', 'the waiver expired and the collision is still there': 'исключение истекло, нарушение осталось',
  'the waiver expired and the collision is gone': 'исключение истекло, нарушения уже нет',
}

const OPEN_ACTIONS: Record<string, Action[]> = {
  NEW: ['acknowledge', 'start', 'assign', 'resolve', 'waive'], OPEN: ['acknowledge', 'start', 'assign', 'resolve', 'waive'], REOPENED: ['acknowledge', 'start', 'assign', 'resolve', 'waive'],
  ACKNOWLEDGED: ['start', 'assign', 'resolve', 'waive'], IN_PROGRESS: ['assign', 'resolve', 'waive'], RESOLVED: ['reopen'], WAIVED: ['reopen'],
}

/** An assignment's event data → «→ NSI-L1-MSK, 2-я линия, Петрова». */
function assignedText(data: unknown): string {
  const d = (data ?? {}) as { group?: string; line?: number | null; assignee?: string | null }
  return d.group ? `→ ${[d.group, d.line ? supportLine(d.line) : null, d.assignee].filter(Boolean).join(', ')}` : ''
}

export function FindingPage({ fingerprint, viewer }: { fingerprint: string; viewer: Viewer }) {
  const [result, refetch] = useQuery({ query: FindingPageQuery, variables: { fingerprint } })
  const [choices] = useQuery({ query: FindingsChoicesQuery })
  /** the duplicate tool open on this page (it stays open after its work, to show what it did) */
  const [tool, setTool] = useState<'merge' | 'distinct' | null>(null)
  const back = <p className="crumbs"><a href="/findings" onClick={(e) => { e.preventDefault(); if (history.length > 1) history.back(); else navigate('/findings') }}>← К списку находок</a></p>
  if (result.fetching && !result.data) return <main className="loading" aria-busy="true">Загружаем находку…</main>
  if (result.error && !result.data) {
    return <main className="placeholder">{back}<h1>Находка не загрузилась</h1><p className="problem" role="alert">{result.error.graphQLErrors[0]?.message ?? 'Сервер не ответил.'}</p></main>
  }
  const f = result.data?.finding
  if (!f) {
    return (
      <main className="placeholder" aria-labelledby="finding-title">
        {back}
        <h1 id="finding-title">Находки нет</h1>
        <p>Находки <code>{fingerprint}</code> нет, или она вне рынков вашего ключа.</p>
      </main>
    )
  }
  const actions = allowedActions(viewer.permissions, OPEN_ACTIONS[f.status] ?? [])
  const canComment = allowedActions(viewer.permissions, ['comment'])
  const reload = () => refetch({ requestPolicy: 'network-only' })
  // oxlint-disable-next-line react/purity -- «срок прошёл» is as of this render, like the age beside it
  const overdue = !!f.dueAt && Date.parse(f.dueAt) < Date.now()
  const canMerge = viewer.permissions.includes('mergeRecords')
  const ruleKind = choices.data?.rules.find((r) => r.id === f.ruleId)?.kind
  const mergeType = mergeableTypeOf(ruleKind, f.entities)
  const keys = f.entities.map((e) => e.key)
  // the records must all be there (and visible) to be merged or told apart
  const duplicateTools = canMerge && mergeType !== null && f.entities.every((e) => e.node)
  return (
    <main className="finding-page" aria-labelledby="finding-title">
      {back}
      <section className={`card finding-head-card sev-edge-${f.severity.toLowerCase()}`}>
        <h1 id="finding-title"><Severity value={f.severity} /> {f.ruleTitle ?? f.ruleId}</h1>
        <p className="message">{f.message}</p>
        <dl className="fields facts">
          <div><dt>Статус</dt><dd className="status" data-status={f.status}>{FINDING_STATUS_WORD[f.status] ?? f.status}</dd></div>
          <div><dt>Ответственные</dt><dd>{f.group ? `${f.group.name} (${f.group.code})` : 'группа не назначена'} · {supportLine(f.supportLine ?? f.group?.supportLine)}{f.assignee && ` · исполнитель ${f.assignee}`}</dd></div>
          {f.marketCode && <div><dt>Рынок</dt><dd>{f.marketCode}</dd></div>}
          <div><dt>Найдена</dt><dd>{formatDateTime(f.firstSeenAt)} ({f.ageText} назад) · последний раз {formatDateTime(f.lastSeenAt)}</dd></div>
          {f.open && f.ackDueAt && <div><dt>Принять до</dt><dd>{formatDateTime(f.ackDueAt)}</dd></div>}
          {f.open && f.dueAt && <div><dt>Решить до</dt><dd>{formatDateTime(f.dueAt)}{overdue && <strong className="overdue"> — срок прошёл</strong>}</dd></div>}
          {f.resolvedAt && <div><dt>Закрыта</dt><dd>{formatDateTime(f.resolvedAt)}</dd></div>}
          {f.waivers.filter((w) => w.active).map((w, i) => <div key={i}><dt>Исключение</dt><dd>{w.reason} · {w.expiresAt ? `до ${formatDateTime(w.expiresAt)}` : 'бессрочно'}</dd></div>)}
          <div><dt>Отпечаток</dt><dd><code>{f.fingerprint}</code></dd></div>
        </dl>
        <ActionBar fingerprints={[f.fingerprint]} actions={actions} groups={choices.data?.groups ?? []} label="Действия с находкой" onDone={reload} />
        {duplicateTools && (
          <div className="action-buttons duplicate-tools" role="group" aria-label="Дубли">
            <button type="button" aria-expanded={tool === 'merge'} className={tool === 'merge' ? 'pressed' : undefined} onClick={() => setTool(tool === 'merge' ? null : 'merge')}>Объединить</button>
            {f.open && <button type="button" aria-expanded={tool === 'distinct'} className={tool === 'distinct' ? 'pressed' : undefined} onClick={() => setTool(tool === 'distinct' ? null : 'distinct')}>Не дубликат</button>}
          </div>
        )}
      </section>
      {tool === 'merge' && mergeType && <MergePanel findingId={f.id} type={mergeType} keys={keys} onClose={() => setTool(null)} onMerged={reload} />}
      {tool === 'distinct' && <DistinctForm findingId={f.id} keys={keys} onClose={() => setTool(null)} onMarked={reload} />}
      <DistinctMarks marks={f.distinctMarks} canRemove={canMerge} onRemoved={reload} />
      <Records finding={f} />
      <div className="two">
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">История</h2>
          <table className="dense history">
            <thead><tr><th scope="col">Когда</th><th scope="col">Кто</th><th scope="col">Что</th><th scope="col">Почему</th></tr></thead>
            <tbody>
              {f.events.map((e) => (
                <tr key={e.id} className={e.action === 'commented' ? 'comment' : undefined}>
                  <td className="k">{formatDateTime(e.at)}</td>
                  <td>{actorText(e.actor)}</td>
                  <td>{ACTION_EVENT_WORD[e.action] ?? e.action}{e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus
                    && <span className="muted"> ({FINDING_STATUS_WORD[e.fromStatus]} → {FINDING_STATUS_WORD[e.toStatus]})</span>}
                    {e.action === 'assigned' && <span className="muted"> {assignedText(e.data)}</span>}
                    {e.action === 'merged' && <MergedEvent data={e.data} canUndo={canMerge} onDone={reload} />}</td>
                  <td>{e.comment ?? (e.reason && (SYSTEM_REASON[e.reason] ?? e.reason)) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canComment.length > 0 && <ActionBar fingerprints={[f.fingerprint]} actions={canComment} groups={[]} label="Комментарий" onDone={reload} />}
        </section>
        <section className="card" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Обращения</h2>
          {f.incidents.length === 0 ? <p className="muted">Связанных обращений нет.</p> : (
            <ul className="incidents">
              {f.incidents.map((i) => (
                <li key={i.id}>
                  <span className="kind">{KIND_WORD[i.kind]}</span> {i.externalRef ? `№ ${i.externalRef}` : `#${i.id}`} · {CHANNEL_WORD[i.channel] ?? i.channel} · {formatDateTime(i.createdAt)}
                  {i.status === 'CLOSED' && ' · закрыто'}
                  {i.description && <span className="muted"> — {i.description}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  )
}

/** A `merged` event: which records went into which, the merge's state and «Отменить объединение». */
function MergedEvent({ data, canUndo, onDone }: { data: unknown; canUndo: boolean; onDone: () => void }) {
  const merged = mergedEvent(data)
  const said = mergedText(merged.survivor, merged.members)
  if (!merged.mergeId) return <span className="muted"> {said}</span>
  return <MergeEventUndo mergeId={merged.mergeId} said={said} canUndo={canUndo} onDone={onDone} />
}

function Records({ finding }: { finding: Finding }) {
  const records = finding.entities.map((e) => ({ ...e, fields: recordFields(e.node) }))
  const visible = records.filter((r) => r.node)
  // the records' own keys always differ: not worth marking
  const differ = differingFields(visible.map((r) => r.fields))
  for (const key of ['Код', 'Инв. номер', 'Номер']) differ.delete(key)
  const names = [...new Set(visible.flatMap((r) => Object.keys(r.fields)))]
  const first = visible[0]
  return (
    <section className="card" aria-labelledby="records-title">
      <h2 id="records-title">Записи {differ.size > 0 && <span className="muted legend">· <mark className="diff">выделено</mark> то, чем записи различаются</span>}</h2>
      <div className="side-scroll">
        <table className="dense side">
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">Поле</span></th>
              {records.map((r) => (
                <th key={`${r.type}:${r.key}`} scope="col">
                  {ENTITY_WORD[r.type] ?? r.type}{' '}
                  {r.node && (RECORD_TYPES as readonly string[]).includes(r.type)
                    ? <a href={recordHref(r.type, r.key)} onClick={(e) => { e.preventDefault(); navigate(recordHref(r.type, r.key)) }}>{r.key}</a>
                    : r.key}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((name) => (
              <tr key={name} className={differ.has(name) ? 'differs' : undefined}>
                <th scope="row">{name}{differ.has(name) && <span className="visually-hidden"> (различается)</span>}</th>
                {records.map((r) => (
                  <td key={`${r.type}:${r.key}`}>
                    {!r.node ? <span className="muted">нет (удалена или недоступна)</span> : <Cell name={name} value={r.fields[name]} differs={differ.has(name)}
                      base={(r === first ? visible[1] : first)?.fields[name]} />}
                  </td>
                ))}
              </tr>
            ))}
            {names.length === 0 && <tr><td colSpan={records.length + 1} className="muted">Поля этих записей вашему ключу не видны.</td></tr>}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** A field's value; when records differ in it, the letters not in the other record's value (`base`) marked. */
function Cell({ name, value, differs, base }: { name: string; value: string | undefined; differs: boolean; base: string | undefined }) {
  if (!differs) return <>{value}</>
  if (!value) return <mark className="diff" aria-label={`${name}: пусто`}>—</mark>
  return base ? <Diff value={value} base={base} /> : <mark className="diff">{value}</mark>
}

/** `value` with the letters not in `base` marked. */
function Diff({ value, base }: { value: string; base: string }) {
  return <>{charDiff(value, base).map((p, i) => p.same ? <span key={i}>{p.text}</span> : <mark key={i} className="diff">{p.text}</mark>)}</>
}
