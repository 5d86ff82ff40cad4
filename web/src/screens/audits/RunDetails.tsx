// One run: who started it, over what, how long, what it did to the findings, and its timings by phase and rule.
import { useQuery } from 'urql'
import { formatDate, formatDateTime, formatNumber } from '../../format.ts'
import { navigate } from '../../router.ts'
import { actorText, PHASE_WORD, countsText, shortId, durationText, pathOfView, TRIGGER_WORD } from './logic.ts'
import { AuditRunQuery } from './operations.ts'
import { RunStatus } from './Runs.tsx'

export function RunDetails({ id }: { id: string }) {
  const [run] = useQuery({ query: AuditRunQuery, variables: { id } })
  const back = pathOfView({ tab: 'runs' })
  const r = run.data?.auditRun
  const timings = r && typeof r.timings === 'object' && r.timings ? Object.entries(r.timings as Record<string, unknown>) : []
  return (
    <section className="panel" aria-labelledby="run-title">
      <p><a href={back} onClick={(e) => { e.preventDefault(); navigate(back) }}>← Все запуски</a></p>
      <h2 id="run-title">Аудит № {shortId(id)}</h2>
      {run.error && <p className="problem">{run.error.message}</p>}
      {run.fetching && !run.data && <p className="muted">Загружаем…</p>}
      {run.data && !r && <p className="problem">Аудита № {shortId(id)} нет или он вне ваших рынков.</p>}
      {r && (
        <>
          <dl className="fields">
            <div><dt>Статус</dt><dd><RunStatus status={r.status} /></dd></div>
            <div><dt>Запущен</dt><dd>{TRIGGER_WORD[r.trigger] ?? r.trigger} ({actorText(r.actor)})</dd></div>
            <div><dt>Начат</dt><dd>{formatDateTime(r.startedAt)}</dd></div>
            <div><dt>Завершён</dt><dd>{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</dd></div>
            <div><dt>Длительность</dt><dd>{durationText(r.startedAt, r.finishedAt)}{r.finishedAt ? '' : ' (идёт)'}</dd></div>
            <div><dt>Рынок</dt><dd>{r.market ?? 'все рынки'}</dd></div>
            <div><dt>На дату</dt><dd>{formatDate(r.asOf)}</dd></div>
            <div><dt>Находки</dt><dd>{r.counts ? countsText(r.counts) : '—'}</dd></div>
            {r.error && <div><dt>Ошибка</dt><dd className="problem">{r.error}</dd></div>}
          </dl>
          <h3>Правила ({formatNumber(r.rules.length)})</h3>
          <p>{r.rules.length ? r.rules.map((id) => <code key={id}>{id} </code>) : '—'}</p>
          {timings.length > 0 && (
            <>
              <h3>Время по шагам</h3>
              <table className="dense timings">
                <thead><tr><th>Шаг</th><th className="num">мс</th></tr></thead>
                <tbody>
                  {timings.flatMap(([name, value]) => typeof value === 'number'
                    ? [<tr key={name}><td>{PHASE_WORD[name] ?? name}</td><td className="num">{formatNumber(value)}</td></tr>]
                    : value && typeof value === 'object'
                      ? Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'number')
                        .map(([k, v]) => <tr key={`${name}.${k}`}><td>{PHASE_WORD[name] ?? name} <code>{k}</code></td><td className="num">{formatNumber(v as number)}</td></tr>)
                      : [])}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  )
}
