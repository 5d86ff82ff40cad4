// The chosen record's card: its fields, the records around it, every open finding around it in plain Russian
// (severity as colour and word, age, group and line, linked incidents) and the one action: register the call.
import { useState, type FormEvent } from 'react'
import { useMutation } from 'urql'
import type { CardQuery, EntityFieldsFragment, IncidentInput } from '../gql/graphql.ts'
import {
  CHANNEL_WORD, CONTRACT_STATUS_WORD, count, ENTITY_WORD, EQUIPMENT_STATUS_WORD, FINDING_STATUS_WORD, FINDINGS_WITH, formatDate, formatDateTime,
  KIND_WORD, registeredText, SEVERITY_WORD, supportLine, type SeverityName,
} from '../format.ts'
import { RegisterComplaintMutation, RegisterIncidentMutation } from '../operations.ts'
import type { Chosen } from './Call.tsx'
import { navigate } from '../router.ts'
import { recordHref } from './record/fields.ts'

type Conflicts = NonNullable<CardQuery['conflicts']>
type Finding = Conflicts['findings'][number]

export function Card({ conflicts, canRegister, onOpen, onRegistered, summary }: {
  conflicts: Conflicts; canRegister: boolean; summary: string; onOpen: (c: Chosen) => void; onRegistered: () => void
}) {
  const { subject, neighbours, findings } = conflicts
  return (
    <div className="card-grid">
      <section className="card record" aria-labelledby="record-title">
        <h2 id="record-title">
          <span className="type">{ENTITY_WORD[subject.type]}</span> {titleOf(subject.node, subject.key)}
        </h2>
        <Fields node={subject.node} />
        {subject.node && <p className="record-link"><a href={recordHref(subject.type, subject.key)}
          onClick={(e) => { e.preventDefault(); navigate(recordHref(subject.type, subject.key)) }}>Страница записи (правка) →</a></p>}
        <h3>Рядом</h3>
        {neighbours.length === 0 ? <p className="muted">Связанных записей нет.</p> : <Neighbours neighbours={neighbours} onOpen={onOpen} />}
        {canRegister && <Register subject={subject} findingCount={findings.length} onRegistered={onRegistered} />}
      </section>
      <section className="card conflicts" aria-labelledby="conflicts-title">
        <h2 id="conflicts-title">
          Открытые находки: {summary}
          {conflicts.highestSeverity && <> · наивысшая важность <Severity value={conflicts.highestSeverity} /></>}
        </h2>
        {findings.length === 0 ? <p className="ok">Вокруг этой записи открытых находок нет.</p> : (
          <ol className="findings">
            {findings.map((f) => <FindingItem key={f.fingerprint} finding={f} />)}
          </ol>
        )}
      </section>
    </div>
  )
}

function titleOf(node: EntityFieldsFragment | null | undefined, key: string): string {
  switch (node?.__typename) {
    case 'Address': return node.text
    case 'Customer': return node.name
    case 'Contract': return `№ ${node.number}`
    case 'Equipment': return `${node.product?.name ?? 'устройство'} ${node.inventoryNo}`
    default: return key
  }
}

function Fields({ node }: { node: EntityFieldsFragment | null | undefined }) {
  const rows: Array<[string, string | null | undefined]> = []
  switch (node?.__typename) {
    case 'Address':
      rows.push(['Код', node.code], ['Регион', node.region], ['Город', node.city], ['Улица', node.street], ['Дом', [node.house, node.building && `корп. ${node.building}`, node.structure && `стр. ${node.structure}`].filter(Boolean).join(' ')],
        ['Квартира', node.apartment], ['Индекс', node.postalCode])
      break
    case 'Customer':
      rows.push(['Код', node.code], ['Вид', node.kind === 'COMPANY' ? 'организация' : node.kind === 'PERSON' ? 'физическое лицо' : null], ['Телефон', node.phone], ['Эл. почта', node.email], ['ИНН', node.inn])
      break
    case 'Contract':
      rows.push(['Номер', node.number], ['Статус', CONTRACT_STATUS_WORD[node.contractStatus]], ['Продукт', node.contractProduct.name], ['Рынок', `${node.market.name} (${node.market.code})`],
        ['Действует', `с ${formatDate(node.validFrom)}${node.validTo ? ` по ${formatDate(node.validTo)}` : ''}`])
      break
    case 'Equipment':
      rows.push(['Инв. номер', node.inventoryNo], ['Продукт', node.product?.name], ['Серийный номер', node.serial], ['MAC', node.macDisplay], ['Статус', EQUIPMENT_STATUS_WORD[node.equipmentStatus]],
        ['Установлено', node.installedAt && formatDate(node.installedAt)], ['Снято', node.removedAt && formatDate(node.removedAt)])
      break
    default:
      return <p className="muted">Поля этой записи вашему ключу не видны.</p>
  }
  return (
    <dl className="fields">
      {rows.filter(([, v]) => v).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  )
}

function Neighbours({ neighbours, onOpen }: { neighbours: Conflicts['neighbours']; onOpen: (c: Chosen) => void }) {
  const byType = new Map<string, Conflicts['neighbours']>()
  for (const n of neighbours) byType.set(n.type, [...(byType.get(n.type) ?? []), n])
  return (
    <table className="dense">
      <tbody>
        {[...byType].map(([type, list]) => list.map((n, i) => (
          <tr key={`${n.type}:${n.key}`}>
            {i === 0 && <th scope="row" rowSpan={list.length}>{ENTITY_WORD[type]}</th>}
            <td className="k"><button type="button" className="link" onClick={() => onOpen({ type: n.type, key: n.key })}>{n.key}</button></td>
            <td>{n.node ? describe(n.node) : <span className="muted">нет доступа</span>}</td>
          </tr>
        )))}
      </tbody>
    </table>
  )
}

function describe(node: EntityFieldsFragment): string {
  switch (node.__typename) {
    case 'Address': return node.text
    case 'Customer': return [node.name, node.phone].filter(Boolean).join(', ')
    case 'Contract': return `${node.contractProduct.name}, ${CONTRACT_STATUS_WORD[node.contractStatus]}, ${node.market.code}`
    case 'Equipment': return [node.product?.name, node.serial && `S/N ${node.serial}`, node.macDisplay, EQUIPMENT_STATUS_WORD[node.equipmentStatus]].filter(Boolean).join(', ')
    default: return ''
  }
}

export function Severity({ value }: { value: string }) {
  return <span className={`sev sev-${value.toLowerCase()}`}>{SEVERITY_WORD[value as SeverityName] ?? value}</span>
}

function FindingItem({ finding: f }: { finding: Finding }) {
  const group = f.group
  const line = f.supportLine ?? group?.supportLine
  return (
    <li className={`finding sev-edge-${f.severity.toLowerCase()}`}>
      <div className="finding-head">
        <Severity value={f.severity} />
        <a className="rule" href={`/findings/${encodeURIComponent(f.fingerprint)}`} title="Страница находки"
          onClick={(e) => { e.preventDefault(); navigate(`/findings/${encodeURIComponent(f.fingerprint)}`) }}>{f.ruleTitle ?? f.ruleId}</a>
        <span className="status">{FINDING_STATUS_WORD[f.status] ?? f.status}</span>
        <span className="age" title={`с ${formatDateTime(f.firstSeenAt)}`}>{f.ageText}</span>
      </div>
      <p className="message">{f.message}</p>
      <p className="route">
        Ответственные: {group ? group.name : 'группа не назначена'} · {supportLine(line)}
        {f.marketCode && <> · рынок {f.marketCode}</>}
      </p>
      {f.incidents.length > 0 && (
        <ul className="incidents" aria-label="Связанные обращения">
          {f.incidents.map((i) => (
            <li key={i.id}>
              <span className="kind">{KIND_WORD[i.kind]}</span> {i.externalRef ? `№ ${i.externalRef}` : `#${i.id}`}
              {' · '}{CHANNEL_WORD[i.channel] ?? i.channel} · {formatDateTime(i.createdAt)}
              {i.status === 'CLOSED' && ' · закрыто'}
              {i.description && <span className="muted"> — {i.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

const REFERENCE_FIELD: Record<string, keyof IncidentInput> = { address: 'address', contract: 'contract', customer: 'customer', equipment: 'equipment' }
const ABOUT: Record<string, string> = { address: 'адресу', contract: 'договору', customer: 'клиенту', equipment: 'устройству' }

const FIELD_WORD: Record<string, string> = { externalRef: 'Внешний номер', description: 'Текст', channel: 'Канал', address: 'Адрес', contract: 'Договор', customer: 'Клиент', equipment: 'Устройство' }

/** «Зарегистрировать обращение»: the record's key as the reference, so the server links it to the findings around it. */
function Register({ subject, findingCount, onRegistered }: { subject: Conflicts['subject']; findingCount: number; onRegistered: () => void }) {
  const [kind, setKind] = useState<'COMPLAINT' | 'INCIDENT'>('COMPLAINT')
  const [channel, setChannel] = useState<IncidentInput['channel']>('PHONE')
  const [externalRef, setExternalRef] = useState('')
  const [description, setDescription] = useState('')
  const [problems, setProblems] = useState<Array<{ field?: string | null; message: string }>>([])
  const [done, setDone] = useState<string | null>(null)
  const [incident, registerIncident] = useMutation(RegisterIncidentMutation)
  const [complaint, registerComplaint] = useMutation(RegisterComplaintMutation)
  const busy = incident.fetching || complaint.fetching
  const field = REFERENCE_FIELD[subject.type]
  if (!field) return null

  async function submit(event: FormEvent) {
    event.preventDefault()
    setProblems([]); setDone(null)
    const input: IncidentInput = { channel, [field]: subject.key, ...(externalRef.trim() ? { externalRef: externalRef.trim() } : {}), ...(description.trim() ? { description: description.trim() } : {}) }
    const answer = kind === 'INCIDENT' ? (await registerIncident({ input })).data?.registerIncident : (await registerComplaint({ input })).data?.registerComplaint
    if (!answer) { setProblems([{ message: 'Сервер не ответил — обращение не зарегистрировано. Попробуйте ещё раз.' }]); return }
    switch (answer.__typename) {
      case 'MutationRegisterIncidentSuccess':
      case 'MutationRegisterComplaintSuccess': {
        const { data } = answer
        const ref = data.incident.externalRef ? `№ ${data.incident.externalRef}` : `#${data.incident.id}`
        setDone(registeredText(data.incident.kind, ref, data.created, data.links.length))
        setExternalRef(''); setDescription('')
        onRegistered()
        break
      }
      case 'ValidationFailed': setProblems(answer.problems.length ? answer.problems : [{ message: answer.message }]); break
      default: setProblems([{ message: answer.message }])
    }
  }

  const fieldProblem = (name: string) => problems.find((p) => p.field === name || p.field === `input.${name}`)
  // problems of the two fields typed here are shown at them; any other (a reference, the whole input) below
  const general = problems.filter((p) => !['externalRef', 'description'].includes((p.field ?? '').replace(/^input\./, '')))
  return (
    <form className="register" onSubmit={submit} aria-labelledby="register-title">
      <h3 id="register-title">Зарегистрировать обращение</h3>
      {done && <p className="done" role="status">{done}</p>}
      <p className="help">Обращение по {ABOUT[subject.type]} {subject.key} будет связано с {findingCount === 0 ? 'находками, если они появятся' : `${count(findingCount, FINDINGS_WITH)} вокруг записи`}.</p>
      <fieldset className="kind">
        <legend>Вид</legend>
        <label><input type="radio" name="kind" checked={kind === 'COMPLAINT'} onChange={() => setKind('COMPLAINT')} /> Жалоба</label>
        <label><input type="radio" name="kind" checked={kind === 'INCIDENT'} onChange={() => setKind('INCIDENT')} /> Инцидент</label>
      </fieldset>
      <div className="row">
        <label>Канал
          <select value={channel} onChange={(e) => setChannel(e.target.value as IncidentInput['channel'])}>
            {Object.entries(CHANNEL_WORD).map(([value, word]) => <option key={value} value={value}>{word}</option>)}
          </select>
        </label>
        <label>Внешний номер
          <input value={externalRef} onChange={(e) => setExternalRef(e.target.value)} placeholder="например, INC000123" aria-invalid={!!fieldProblem('externalRef')} />
        </label>
      </div>
      {fieldProblem('externalRef') && <p className="problem" role="alert">Внешний номер: {fieldProblem('externalRef')!.message}</p>}
      <label className="block">Текст
        <textarea value={description} rows={3} onChange={(e) => setDescription(e.target.value)} placeholder="что сообщил звонящий" aria-invalid={!!fieldProblem('description')} />
      </label>
      {fieldProblem('description') && <p className="problem" role="alert">Текст: {fieldProblem('description')!.message}</p>}
      {general.map((p, i) => <p key={i} className="problem" role="alert">{p.field ? `${FIELD_WORD[p.field.replace(/^input\./, '')] ?? p.field}: ` : ''}{p.message}</p>)}
      <button type="submit" disabled={busy}>{busy ? 'Регистрируем…' : 'Зарегистрировать обращение'}</button>
    </form>
  )
}
