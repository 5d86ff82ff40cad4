// The runs: start one (rules, market, as-of date) and watch it live (the auditProgress subscription over
// SSE: urql's fetch exchange with fetchSubscriptions), then the list of runs, newest first.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useMutation, useQuery, useSubscription } from 'urql'
import { formatDate, formatDateTime, formatNumber } from '../../format.ts'
import { navigate } from '../../router.ts'
import type { Viewer } from '../../SignIn.tsx'
import { FieldProblems, invalid, MarketField, refusal } from './common.tsx'
import { countsText, shortId, durationText, pathOfView, problemsByField, progressText, RUN_STATUS_WORD, TRIGGER_WORD, type Problem } from './logic.ts'
import { AuditChoicesQuery, AuditProgressSubscription, AuditRunsQuery, RunAuditMutation } from './operations.ts'

export function Runs({ viewer }: { viewer: Viewer }) {
  const [runs, refetch] = useQuery({ query: AuditRunsQuery, variables: { first: 30 } })
  const canRun = viewer.permissions.includes('runAudit')
  const list = runs.data?.auditRuns.edges.map((e) => e.node) ?? []
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch])
  return (
    <>
      {canRun && <StartRun viewer={viewer} onEnded={reload} />}
      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Запуски{runs.data ? ` (${formatNumber(runs.data.auditRuns.totalCount)})` : ''}</h2>
        {runs.error && <p className="problem">{runs.error.message}</p>}
        {runs.fetching && !runs.data && <p className="muted">Загружаем…</p>}
        {runs.data && list.length === 0 && <p className="empty">Аудитов ещё не было.</p>}
        {runs.data && runs.data.auditRuns.totalCount > list.length && (
          <p className="help">Показаны последние {formatNumber(list.length)}; остальные — через API (<code>auditRuns</code>, постранично).</p>
        )}
        {list.length > 0 && (
          <table className="dense runs">
            <thead>
              <tr>
                <th>№</th><th>Статус</th><th>Запущен</th><th>Начат</th><th>Завершён</th><th>Длительность</th><th>Рынок</th><th>На дату</th>
                <th className="num">Правил</th><th className="num">Новые</th><th className="num">Открыты</th><th className="num">Решены</th><th className="num">Открыты снова</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td><a href={pathOfView({ tab: 'run', id: r.id })} onClick={(e) => { e.preventDefault(); navigate(pathOfView({ tab: 'run', id: r.id })) }}>{shortId(r.id)}</a></td>
                  <td><RunStatus status={r.status} /></td>
                  <td>{TRIGGER_WORD[r.trigger] ?? r.trigger}</td>
                  <td className="k">{formatDateTime(r.startedAt)}</td>
                  <td className="k">{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</td>
                  <td className="k">{r.finishedAt ? durationText(r.startedAt, r.finishedAt) : '—'}</td>
                  <td>{r.market ?? 'все'}</td>
                  <td className="k">{formatDate(r.asOf)}</td>
                  <td className="num">{r.rules.length || '—'}</td>
                  <td className="num">{r.counts ? formatNumber(r.counts.new) : '—'}</td>
                  <td className="num">{r.counts ? formatNumber(r.counts.open) : '—'}</td>
                  <td className="num">{r.counts ? formatNumber(r.counts.resolved) : '—'}</td>
                  <td className="num">{r.counts ? formatNumber(r.counts.reopened) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}

export function RunStatus({ status }: { status: string }) {
  return <span className={`st st-${status.toLowerCase()}`}>{RUN_STATUS_WORD[status] ?? status}</span>
}

function StartRun({ viewer, onEnded }: { viewer: Viewer; onEnded: () => void }) {
  const [choices] = useQuery({ query: AuditChoicesQuery })
  const [started, runAudit] = useMutation(RunAuditMutation)
  const limited = viewer.markets.length > 0
  const [rules, setRules] = useState<string[]>([])
  const [market, setMarket] = useState(limited ? viewer.markets[0] : '')
  const [asOf, setAsOf] = useState('')
  const [problems, setProblems] = useState<Problem[]>([])
  const [runId, setRunId] = useState<string | null>(null)
  const byField = problemsByField(problems, ['rules', 'market', 'asOf'])
  const markets = (choices.data?.markets ?? []).filter((m) => !limited || viewer.markets.includes(m.code))

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setProblems([])
    const result = await runAudit({ rules: rules.length ? rules : null, market: market || null, asOf: asOf || null })
    const answer = result.data?.runAudit
    if (answer?.__typename === 'MutationRunAuditSuccess') setRunId(answer.data.id)
    else setProblems(refusal(answer, result.error))
  }

  return (
    <section className="panel" aria-labelledby="start-title">
      <h2 id="start-title">Запустить аудит</h2>
      <form onSubmit={submit} noValidate>
        <fieldset aria-describedby={byField.rules ? 'start-rules-problem' : undefined}>
          <legend>Правила (ни одно не отмечено — все включённые)</legend>
          <div className="checks">
            {(choices.data?.rules ?? []).map((r) => (
              <label key={r.id} title={r.enabled ? undefined : 'Правило выключено'}>
                <input type="checkbox" disabled={!r.enabled} checked={rules.includes(r.id)}
                  onChange={(e) => setRules((was) => e.target.checked ? [...was, r.id] : was.filter((id) => id !== r.id))} />
                <span>{r.title.ru} <code>{r.id}</code>{r.enabled ? '' : ' — выключено'}</span>
              </label>
            ))}
          </div>
          <FieldProblems id="start-rules-problem" messages={byField.rules} />
        </fieldset>
        <div className="row">
          <div>
            <MarketField id="start-market" value={market} onChange={setMarket} markets={markets} limited={limited} problems={byField.market} />
          </div>
          <div>
            <label htmlFor="start-asof">На дату (пусто — сегодня)</label>
            <input id="start-asof" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} {...invalid('start-asof-problem', byField.asOf)} />
            <FieldProblems id="start-asof-problem" messages={byField.asOf} />
          </div>
        </div>
        <FieldProblems id="start-problem" messages={byField['']} />
        <div className="actions">
          <button type="submit" disabled={started.fetching}>Запустить аудит</button>
          {rules.length > 0 && <button type="button" className="secondary" onClick={() => setRules([])}>Снять отметки</button>}
        </div>
      </form>
      {runId && <RunProgress key={runId} runId={runId} onEnded={onEnded} />}
    </section>
  )
}

/** A run's progress, live, until it ends; then its counts. */
export function RunProgress({ runId, onEnded }: { runId: string; onEnded?: () => void }) {
  const context = useMemo(() => ({ fetchSubscriptions: true }), [])
  const [progress] = useSubscription({ query: AuditProgressSubscription, variables: { runId }, context })
  const step = progress.data?.auditProgress
  const over = step?.status === 'SUCCEEDED' || step?.status === 'FAILED'
  // the list is asked again once, when the run is over
  const reported = useRef(false)
  useEffect(() => {
    if (over && !reported.current) { reported.current = true; onEnded?.() }
  }, [over, onEnded])
  const href = pathOfView({ tab: 'run', id: runId })
  return (
    <div className="run-progress" aria-live="polite">
      <div className="progress">
        <span>Аудит <a href={href} onClick={(e) => { e.preventDefault(); navigate(href) }}>№ {shortId(runId)}</a>: <RunStatus status={step?.status ?? 'QUEUED'} /></span>
        {!over && <progress max={Math.max(step?.total ?? 0, 1)} value={step?.done ?? 0} aria-label="Ход аудита" />}
        {step && !over && <span className="muted">{progressText(step.done, step.total)}{step.ruleId ? `, сейчас ${step.ruleId}` : ''}</span>}
      </div>
      {progress.error && <p className="problem">Ход аудита не приходит: {progress.error.message}</p>}
      {step?.status === 'SUCCEEDED' && step.counts && <p className="done">Аудит завершён: {countsText(step.counts)}.</p>}
      {step?.status === 'FAILED' && <p className="problem">Аудит не удался: {step.error ?? 'причина не известна'}.</p>}
    </div>
  )
}
