// The rule catalogue as in force: title, kind, severity (colour and word), on/off, parameters, and whether a
// stored override changed it. Keys that manage rules (without a market limit: an override applies to every
// market) switch a rule on or off, change its severity and parameters, or go back to the rule file.
import { Fragment, useState } from 'react'
import { useMutation, useQuery } from 'urql'
import { formatDateTime, RULE_KIND_WORD, SEVERITY_WORD, type SeverityName } from '../../format.ts'
import type { RulesQuery as RulesData, Severity as SeverityEnum } from '../../gql/graphql.ts'
import type { Viewer } from '../../SignIn.tsx'
import { Severity } from '../Card.tsx'
import { FieldProblems, invalid, refusal } from './common.tsx'
import { actorText, paramDraft, parseParams, problemsByField, type Problem } from './logic.ts'
import { ResetRuleOverrideMutation, RulesQuery, SetRuleOverrideMutation } from './operations.ts'

type Rule = RulesData['rules'][number]
const SEVERITIES: SeverityName[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']

export function Rules({ viewer }: { viewer: Viewer }) {
  const [rules, refetch] = useQuery({ query: RulesQuery })
  const [, setOverride] = useMutation(SetRuleOverrideMutation)
  const [editing, setEditing] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const canManage = viewer.permissions.includes('manageRules') && viewer.markets.length === 0
  const reload = () => refetch({ requestPolicy: 'network-only' })
  const list = rules.data?.rules ?? []

  async function toggle(rule: Rule) {
    setProblem(null)
    const result = await setOverride({ ruleId: rule.id, enabled: !rule.enabled })
    const answer = result.data?.setRuleOverride
    if (answer?.__typename !== 'MutationSetRuleOverrideSuccess') setProblem(`${rule.id}: ${refusal(answer, result.error).map((p) => p.message).join(' ')}`)
    reload()
  }

  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Каталог правил</h2>
      <p className="help">
        {canManage ? 'Изменения действуют на всех рынках со следующего аудита, без выпуска новой версии; «Вернуть как в файле» убирает их.'
          : viewer.permissions.includes('manageRules') ? 'Правила меняют ключи без ограничения по рынкам: изменение действует на всех рынках.'
          : 'Правила меняют специалисты НСИ и администраторы.'}
      </p>
      {rules.error && <p className="problem">{rules.error.message}</p>}
      {problem && <p className="problem" role="alert">{problem}</p>}
      {list.length > 0 && (
        <table className="dense rules">
          <thead>
            <tr><th>Правило</th><th>Вид</th><th>Важность</th><th>Состояние</th><th>Параметры</th><th>Изменено</th>{canManage && <th><span className="visually-hidden">Действия</span></th>}</tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <Fragment key={r.id}>
                <tr className={r.enabled ? undefined : 'off'} data-rule={r.id}>
                  <td>{r.title.ru}<br /><code>{r.id}</code></td>
                  <td>{RULE_KIND_WORD[r.kind] ?? r.kind}<br /><code>{r.kind}</code></td>
                  <td><Severity value={r.severity} /></td>
                  <td className="state">{r.enabled ? 'включено' : 'выключено'}</td>
                  <td className="params-text">{r.params && typeof r.params === 'object' && Object.keys(r.params).length
                    ? Object.entries(r.params as Record<string, unknown>).map(([name, value]) => <div key={name}><span className="name">{name}</span>: {paramDraft(value)}</div>)
                    : '—'}</td>
                  <td className="k">{r.override ? <>{formatDateTime(r.override.updatedAt)}<br /><span className="muted">{actorText(r.override.updatedBy)}</span></> : 'как в файле'}</td>
                  {canManage && (
                    <td className="k">
                      <button type="button" className="secondary" onClick={() => void toggle(r)} aria-label={`${r.enabled ? 'Выключить' : 'Включить'} правило ${r.id}`}>
                        {r.enabled ? 'Выключить' : 'Включить'}
                      </button>{' '}
                      <button type="button" className="link" onClick={() => setEditing(editing === r.id ? null : r.id)} aria-expanded={editing === r.id}
                        aria-label={`Изменить правило ${r.id}`}>Изменить</button>
                    </td>
                  )}
                </tr>
                {canManage && editing === r.id && (
                  <tr className="editor"><td colSpan={7}><RuleEditor rule={r} onDone={() => { setEditing(null); reload() }} onCancel={() => setEditing(null)} /></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function RuleEditor({ rule, onDone, onCancel }: { rule: Rule; onDone: () => void; onCancel: () => void }) {
  const original = rule.params && typeof rule.params === 'object' && !Array.isArray(rule.params) ? rule.params as Record<string, unknown> : {}
  const [enabled, setEnabled] = useState(rule.enabled)
  const [severity, setSeverity] = useState(rule.severity)
  const [drafts, setDrafts] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(original).map(([k, v]) => [k, paramDraft(v)])))
  const [local, setLocal] = useState<Record<string, string>>({})
  const [problems, setProblems] = useState<Problem[]>([])
  const [saved, save] = useMutation(SetRuleOverrideMutation)
  const [reset, resetOverride] = useMutation(ResetRuleOverrideMutation)
  const byField = problemsByField(problems, ['enabled', 'severity', ...Object.keys(original).map((k) => `params.${k}`), 'params'])
  const base = `rule-${rule.id}`

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setProblems([])
    const parsed = parseParams(original, drafts)
    if ('errors' in parsed) { setLocal(parsed.errors); return }
    setLocal({})
    const changed = JSON.stringify(parsed.params) !== JSON.stringify(original)
    const result = await save({ ruleId: rule.id, enabled, severity: severity, ...(changed ? { params: parsed.params } : {}) })
    const answer = result.data?.setRuleOverride
    if (answer?.__typename === 'MutationSetRuleOverrideSuccess') onDone()
    else setProblems(refusal(answer, result.error))
  }

  async function backToFile() {
    setProblems([])
    const result = await resetOverride({ ruleId: rule.id })
    const answer = result.data?.resetRuleOverride
    if (answer?.__typename === 'MutationResetRuleOverrideSuccess') onDone()
    else setProblems(refusal(answer, result.error))
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Правило ${rule.id}`}>
      <div className="row">
        <div className="inline">
          <input id={`${base}-enabled`} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <label htmlFor={`${base}-enabled`}>Включено</label>
        </div>
        <div>
          <label htmlFor={`${base}-severity`}>Важность</label>
          <select id={`${base}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value as SeverityEnum)} {...invalid(`${base}-severity-problem`, byField.severity)}>
            {SEVERITIES.map((s) => <option key={s} value={s}>{SEVERITY_WORD[s]}</option>)}
          </select>
          <FieldProblems id={`${base}-severity-problem`} messages={byField.severity} />
        </div>
      </div>
      {Object.keys(original).length > 0 && (
        <fieldset>
          <legend>Параметры (списки и объекты — в JSON)</legend>
          <div className="params">
            {Object.entries(original).map(([name, value]) => {
              const id = `${base}-param-${name}`
              const messages = [...(local[name] ? [local[name]] : []), ...(byField[`params.${name}`] ?? [])]
              const long = typeof value === 'object' && value !== null
              return (
                <Fragment key={name}>
                  <label htmlFor={id}><code>{name}</code></label>
                  <div>
                    {long
                      ? <textarea id={id} rows={Math.min(6, Math.max(1, Math.ceil((drafts[name] ?? '').length / 90)))} value={drafts[name] ?? ''} spellCheck={false}
                        onChange={(e) => setDrafts((d) => ({ ...d, [name]: e.target.value }))} {...invalid(`${id}-problem`, messages)} />
                      : <input id={id} value={drafts[name] ?? ''} spellCheck={false}
                        onChange={(e) => setDrafts((d) => ({ ...d, [name]: e.target.value }))} {...invalid(`${id}-problem`, messages)} />}
                    <FieldProblems id={`${id}-problem`} messages={messages} />
                  </div>
                </Fragment>
              )
            })}
          </div>
          <FieldProblems id={`${base}-params-problem`} messages={byField.params} />
        </fieldset>
      )}
      <FieldProblems id={`${base}-problem`} messages={byField['']} />
      <div className="actions">
        <button type="submit" disabled={saved.fetching}>Сохранить</button>
        {rule.overridden && <button type="button" className="secondary" disabled={reset.fetching} onClick={() => void backToFile()}>Вернуть как в файле</button>}
        <button type="button" className="secondary" onClick={onCancel}>Отмена</button>
      </div>
    </form>
  )
}
