// /findings/<fingerprint>: one finding — rule, severity, status, message, group and line, due; its records side by
// side with the differing fields marked (and which letters differ); its history and comments; linked incidents;
// the lifecycle actions the key's role may do.
import { useQuery } from 'urql'
import type { FindingPageQuery as FindingPageData } from '../../gql/graphql.ts'
import {
  CHANNEL_WORD, ENTITY_WORD, FINDING_STATUS_WORD, formatDateTime, KIND_WORD, supportLine,
} from '../../format.ts'
import { navigate } from '../../router.ts'
import type { Viewer } from '../../SignIn.tsx'
import { Severity } from '../Card.tsx'
import { RECORD_TYPES, recordFields, recordHref } from '../record/fields.ts'
import { ActionBar, allowedActions } from './Actions.tsx'
import type { Action } from './bulk.ts'
import { charDiff, differingFields } from './diff.ts'
import { FindingPageQuery, FindingsChoicesQuery } from './operations.ts'

type Finding = NonNullable<FindingPageData['finding']>

const ACTION_EVENT_WORD: Record<string, string> = {
  detected: 'найдена', confirmed: 'подтверждена аудитом', acknowledged: 'принята', assigned: 'назначена', started: 'взята в работу', resolved: 'решена',
  waived: 'исключена', reopened: 'открыта снова', commented: 'комментарий', escalated: 'эскалирована', 'incident-linked': 'связана с обращением', 'incident-unlinked': 'связь с обращением снята',
  'waiver-expired': 'срок исключения истёк',
}

/** The few reasons the system writes in English, for people. */
const SYSTEM_REASON: Record<string, string> = { 'first detected': 'впервые найдена аудитом' }

const OPEN_ACTIONS: Record<string, Action[]> = {
  NEW: ['acknowledge', 'start', 'assign', 'resolve', 'waive'], OPEN: ['acknowledge', 'start', 'assign', 'resolve', 'waive'], REOPENED: ['acknowledge', 'start', 'assign', 'resolve', 'waive'],
  ACKNOWLEDGED: ['start', 'assign', 'resolve', 'waive'], IN_PROGRESS: ['assign', 'resolve', 'waive'], RESOLVED: ['reopen'], WAIVED: ['reopen'],
}

/** «key:12:Иванова» → «Иванова (ключ 12)»; a person or an audit as written. */
export function actorText(actor: string): string {
  const key = /^key:(\d+):(.*)$/.exec(actor)
  return key ? `${key[2] || 'ключ'} (ключ ${key[1]})` : actor === 'audit' ? 'аудит' : actor
}

/** An assignment's event data → «→ NSI-L1-MSK, 2-я линия, Петрова». */
function assignedText(data: unknown): string {
  const d = (data ?? {}) as { group?: string; line?: number | null; assignee?: string | null }
  return d.group ? `→ ${[d.group, d.line ? supportLine(d.line) : null, d.assignee].filter(Boolean).join(', ')}` : ''
}

export function FindingPage({ fingerprint, viewer }: { fingerprint: string; viewer: Viewer }) {
  const [result, refetch] = useQuery({ query: FindingPageQuery, variables: { fingerprint } })
  const [choices] = useQuery({ query: FindingsChoicesQuery })
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
      </section>
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
                    {e.action === 'assigned' && <span className="muted"> {assignedText(e.data)}</span>}</td>
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
                    {!r.node ? <span className="muted">нет доступа</span> : <Cell name={name} value={r.fields[name]} differs={differ.has(name)}
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
