// Schedules — of audits (cron in a time zone, market, rules) and of the reports album mailed to a subscription every
// week or month — and the mail subscriptions that receive each scheduled audit's discrepancy list: listed for every
// reader, created, changed and deleted by the roles that manage them.
import { useState } from 'react'
import { useMutation, useQuery } from 'urql'
import { formatDateTime } from '../../format.ts'
import type { Viewer } from '../../SignIn.tsx'
import { FieldProblems, invalid, MarketField, refusal } from './common.tsx'
import { RunProgress } from './Runs.tsx'
import { problemsByField, shortId, RUN_STATUS_WORD, splitRecipients, type Problem } from './logic.ts'
import {
  AuditChoicesQuery, CreateMailSubscriptionMutation, CreateScheduleMutation, DeleteMailSubscriptionMutation, DeleteScheduleMutation,
  MailSubscriptionsQuery, RunScheduleMutation, SchedulesQuery, SendAlbumMutation, UpdateMailSubscriptionMutation, UpdateScheduleMutation,
} from './operations.ts'
import type { AlbumPeriod, MailSubscriptionsQuery as MailData, SchedulesQuery as ScheduleData, ScheduleKind } from '../../gql/graphql.ts'

/** «альбом за месяц», as the list and the form say a period */
const ALBUM_PERIOD_WORD: Record<AlbumPeriod, string> = { WEEK: 'неделю', MONTH: 'месяц' }

type Schedule = ScheduleData['schedules'][number]
type Subscription = MailData['mailSubscriptions'][number]

export function Schedules({ viewer }: { viewer: Viewer }) {
  const canManage = viewer.permissions.includes('manageSchedules')
  return (
    <>
      <ScheduleList viewer={viewer} canManage={canManage} />
      {canManage ? <SubscriptionList viewer={viewer} />
        : <p className="muted">Рассылки списков расхождений видны ролям, которые ими управляют (специалист НСИ, администратор).</p>}
    </>
  )
}

function useMarkets(viewer: Viewer) {
  const [choices] = useQuery({ query: AuditChoicesQuery })
  const limited = viewer.markets.length > 0
  return {
    limited,
    rules: choices.data?.rules ?? [],
    markets: (choices.data?.markets ?? []).filter((m) => !limited || viewer.markets.includes(m.code)),
  }
}

function ScheduleList({ viewer, canManage }: { viewer: Viewer; canManage: boolean }) {
  const [list, refetch] = useQuery({ query: SchedulesQuery })
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null)
  const [, remove] = useMutation(DeleteScheduleMutation)
  const [problem, setProblem] = useState<string | null>(null)
  const [, runNow] = useMutation(RunScheduleMutation)
  const [started, setStarted] = useState<{ runId: string; name: string } | null>(null)
  const [, sendAlbum] = useMutation(SendAlbumMutation)
  const [albumSent, setAlbumSent] = useState<string | null>(null)
  const reload = () => refetch({ requestPolicy: 'network-only' })
  const schedules = list.data?.schedules ?? []

  async function send(s: Schedule) {
    setProblem(null)
    setStarted(null)
    setAlbumSent(null)
    if (!s.subscription || !s.albumPeriod) return
    const result = await sendAlbum({ subscriptionId: s.subscription.id, period: s.albumPeriod, timezone: s.timezone })
    const answer = result.data?.sendAlbum
    if (answer?.__typename === 'MutationSendAlbumSuccess') setAlbumSent(`Отправлено: «${answer.data.subject}» — ${answer.data.recipients.join(', ')}.`)
    else setProblem(refusal(answer, result.error).map((p) => p.message).join(' '))
  }

  async function run(s: Schedule) {
    setProblem(null)
    setStarted(null)
    setAlbumSent(null)
    const result = await runNow({ id: s.id })
    const answer = result.data?.runSchedule
    if (answer?.__typename === 'MutationRunScheduleSuccess') setStarted({ runId: answer.data.id, name: s.name })
    else setProblem(refusal(answer, result.error).map((p) => p.message).join(' '))
  }

  async function del(s: Schedule) {
    if (!confirm(`Удалить расписание «${s.name}»?`)) return
    const result = await remove({ id: s.id })
    const problems = result.data?.deleteSchedule.__typename === 'MutationDeleteScheduleSuccess' ? [] : refusal(result.data?.deleteSchedule, result.error)
    setProblem(problems.map((p) => p.message).join(' ') || null)
    reload()
  }

  return (
    <section className="panel" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Расписания аудитов</h2>
      <p className="help">Расписание аудита запускает проверку; расписание альбома отчётов отправляет подписке альбом за прошедшую неделю или месяц — по одному письму за период.</p>
      {list.error && <p className="problem">{list.error.message}</p>}
      {problem && <p className="problem" role="alert">{problem}</p>}
      {list.data && schedules.length === 0 && <p className="empty">Расписаний нет.</p>}
      {schedules.length > 0 && (
        <table className="dense schedules">
          <thead>
            <tr><th>Название</th><th>Вид</th><th>Cron</th><th>Часовой пояс</th><th>Рынок</th><th>Правила</th><th>Включено</th><th>Следующий запуск</th><th>Последний запуск</th>{canManage && <th><span className="visually-hidden">Действия</span></th>}</tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id} className={s.enabled ? undefined : 'off'}>
                <td>{s.name}</td>
                <td>{s.kind === 'ALBUM' ? `альбом отчётов за ${ALBUM_PERIOD_WORD[s.albumPeriod ?? 'MONTH']} → «${s.subscription?.name ?? '—'}»` : 'аудит'}</td>
                <td className="k"><code>{s.cron}</code></td>
                <td>{s.timezone}</td>
                <td>{s.marketCode ?? 'все'}</td>
                <td>{s.kind === 'ALBUM' ? '—' : s.rules.length ? s.rules.join(', ') : 'все включённые'}</td>
                <td>{s.enabled ? 'да' : 'нет'}</td>
                <td className="k">{s.nextRunAt ? formatDateTime(s.nextRunAt) : '—'}</td>
                <td className="k">{s.kind === 'ALBUM'
                  ? (s.lastSentAt ? `отправлен ${formatDateTime(s.lastSentAt)}` : '—')
                  : <>{s.lastTickAt ? formatDateTime(s.lastTickAt) : '—'}{s.lastRun ? ` (№ ${shortId(s.lastRun.id)}, ${RUN_STATUS_WORD[s.lastRun.status] ?? s.lastRun.status})` : ''}</>}</td>
                {canManage && (
                  <td className="k">
                    {s.kind === 'ALBUM'
                      ? <button type="button" className="link" onClick={() => void send(s)} aria-label={`Отправить сейчас альбом расписания «${s.name}»`}>Отправить сейчас</button>
                      : <button type="button" className="link" onClick={() => void run(s)} aria-label={`Запустить сейчас расписание «${s.name}»`}>Запустить сейчас</button>}{' '}
                    <button type="button" className="link" onClick={() => setEditing(s)} aria-label={`Изменить расписание «${s.name}»`}>Изменить</button>{' '}
                    <button type="button" className="link" onClick={() => void del(s)} aria-label={`Удалить расписание «${s.name}»`}>Удалить</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {albumSent && <p className="help" role="status">{albumSent}</p>}
      {started && (
        <div className="schedule-run">
          <p className="help">Расписание «{started.name}» запущено вне очереди; после аудита его рассылки получат список расхождений.</p>
          <RunProgress key={started.runId} runId={started.runId} />
        </div>
      )}
      {canManage && !editing && <div className="actions"><button type="button" onClick={() => setEditing('new')}>Новое расписание</button></div>}
      {canManage && editing && <ScheduleForm key={editing === 'new' ? 'new' : editing.id} viewer={viewer} schedule={editing === 'new' ? null : editing}
        onDone={() => { setEditing(null); reload() }} onCancel={() => setEditing(null)} />}
    </section>
  )
}

const SCHEDULE_FIELDS = ['name', 'cron', 'timezone', 'marketCode', 'rules', 'enabled', 'kind', 'albumPeriod', 'subscriptionId']

function ScheduleForm({ viewer, schedule, onDone, onCancel }: { viewer: Viewer; schedule: Schedule | null; onDone: () => void; onCancel: () => void }) {
  const { limited, rules: catalogue, markets } = useMarkets(viewer)
  const [name, setName] = useState(schedule?.name ?? '')
  const [cron, setCron] = useState(schedule?.cron ?? '0 2 * * *')
  const [timezone, setTimezone] = useState(schedule?.timezone ?? 'Europe/Moscow')
  const [market, setMarket] = useState(schedule?.marketCode ?? (limited ? viewer.markets[0] : ''))
  const [rules, setRules] = useState<string[]>(schedule?.rules ?? [])
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true)
  const [kind, setKind] = useState<ScheduleKind>(schedule?.kind ?? 'AUDIT')
  const [period, setPeriod] = useState<AlbumPeriod>(schedule?.albumPeriod ?? 'MONTH')
  const [subscription, setSubscription] = useState(schedule?.subscription?.id ? String(schedule.subscription.id) : '')
  const [subscriptions] = useQuery({ query: MailSubscriptionsQuery, pause: kind !== 'ALBUM' })
  const [problems, setProblems] = useState<Problem[]>([])
  const [created, create] = useMutation(CreateScheduleMutation)
  const [updated, update] = useMutation(UpdateScheduleMutation)
  const byField = problemsByField(problems, SCHEDULE_FIELDS)

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setProblems([])
    // an album runs no rules and takes its market from its subscription
    const input = kind === 'ALBUM'
      ? { name, cron, timezone, enabled, kind, rules: [], albumPeriod: period, subscriptionId: subscription ? Number(subscription) : null }
      : { name, cron, timezone, rules, enabled, marketCode: market || null, kind }
    if (schedule) {
      const result = await update({ id: schedule.id, input })
      const answer = result.data?.updateSchedule
      if (answer?.__typename === 'MutationUpdateScheduleSuccess') onDone()
      else setProblems(refusal(answer, result.error))
    } else {
      const result = await create({ input })
      const answer = result.data?.createSchedule
      if (answer?.__typename === 'MutationCreateScheduleSuccess') onDone()
      else setProblems(refusal(answer, result.error))
    }
  }

  return (
    <form className="schedule-form" onSubmit={submit} noValidate aria-labelledby="schedule-form-title">
      <h3 id="schedule-form-title">{schedule ? `Расписание «${schedule.name}»` : 'Новое расписание'}</h3>
      <div className="row">
        <div>
          <label htmlFor="schedule-name">Название</label>
          <input id="schedule-name" value={name} onChange={(e) => setName(e.target.value)} {...invalid('schedule-name-problem', byField.name)} />
          <FieldProblems id="schedule-name-problem" messages={byField.name} />
        </div>
        <div>
          <label htmlFor="schedule-cron">Cron (минута час день месяц день недели)</label>
          <input id="schedule-cron" value={cron} onChange={(e) => setCron(e.target.value)} spellCheck={false} {...invalid('schedule-cron-problem', byField.cron)} />
          <FieldProblems id="schedule-cron-problem" messages={byField.cron} />
        </div>
        <div>
          <label htmlFor="schedule-timezone">Часовой пояс</label>
          <input id="schedule-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)} spellCheck={false} {...invalid('schedule-timezone-problem', byField.timezone)} />
          <FieldProblems id="schedule-timezone-problem" messages={byField.timezone} />
        </div>
        <div>
          <label htmlFor="schedule-kind">Вид</label>
          <select id="schedule-kind" value={kind} onChange={(e) => setKind(e.target.value as ScheduleKind)} {...invalid('schedule-kind-problem', byField.kind)}>
            <option value="AUDIT">аудит</option>
            <option value="ALBUM">альбом отчётов по почте</option>
          </select>
          <FieldProblems id="schedule-kind-problem" messages={byField.kind} />
        </div>
        {kind === 'ALBUM' ? (
          <>
            <div>
              <label htmlFor="schedule-period">Период альбома</label>
              <select id="schedule-period" value={period} onChange={(e) => setPeriod(e.target.value as AlbumPeriod)} {...invalid('schedule-period-problem', byField.albumPeriod)}>
                <option value="WEEK">прошедшая неделя (пн–вс)</option>
                <option value="MONTH">прошедший месяц</option>
              </select>
              <FieldProblems id="schedule-period-problem" messages={byField.albumPeriod} />
            </div>
            <div>
              <label htmlFor="schedule-subscription">Подписка (получатели, рынок, группа)</label>
              <select id="schedule-subscription" value={subscription} onChange={(e) => setSubscription(e.target.value)} {...invalid('schedule-subscription-problem', byField.subscriptionId)}>
                <option value="">—</option>
                {(subscriptions.data?.mailSubscriptions ?? []).map((x) => <option key={x.id} value={String(x.id)}>{x.name}{x.marketCode ? ` (${x.marketCode})` : ''}</option>)}
              </select>
              <FieldProblems id="schedule-subscription-problem" messages={byField.subscriptionId} />
            </div>
          </>
        ) : (
          <div>
            <MarketField id="schedule-market" value={market} onChange={setMarket} markets={markets} limited={limited} problems={byField.marketCode} />
          </div>
        )}
        <div className="inline">
          <input id="schedule-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <label htmlFor="schedule-enabled">Включено</label>
        </div>
      </div>
      {kind === 'AUDIT' && <fieldset aria-describedby={byField.rules ? 'schedule-rules-problem' : undefined}>
        <legend>Правила (ни одно не отмечено — все включённые)</legend>
        <div className="checks">
          {catalogue.map((r) => (
            <label key={r.id}>
              <input type="checkbox" checked={rules.includes(r.id)}
                onChange={(e) => setRules((was) => e.target.checked ? [...was, r.id] : was.filter((id) => id !== r.id))} />
              <span>{r.title.ru} <code>{r.id}</code></span>
            </label>
          ))}
        </div>
        <FieldProblems id="schedule-rules-problem" messages={byField.rules} />
      </fieldset>}
      <FieldProblems id="schedule-problem" messages={byField['']} />
      <div className="actions">
        <button type="submit" disabled={created.fetching || updated.fetching}>{schedule ? 'Сохранить' : 'Создать расписание'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Отмена</button>
      </div>
    </form>
  )
}

function SubscriptionList({ viewer }: { viewer: Viewer }) {
  const [list, refetch] = useQuery({ query: MailSubscriptionsQuery })
  const [editing, setEditing] = useState<Subscription | 'new' | null>(null)
  const [, remove] = useMutation(DeleteMailSubscriptionMutation)
  const [problem, setProblem] = useState<string | null>(null)
  const reload = () => refetch({ requestPolicy: 'network-only' })
  const subscriptions = list.data?.mailSubscriptions ?? []

  async function del(s: Subscription) {
    if (!confirm(`Удалить рассылку «${s.name}»?`)) return
    const result = await remove({ id: s.id })
    const problems = result.data?.deleteMailSubscription.__typename === 'MutationDeleteMailSubscriptionSuccess' ? [] : refusal(result.data?.deleteMailSubscription, result.error)
    setProblem(problems.map((p) => p.message).join(' ') || null)
    reload()
  }

  return (
    <section className="panel" aria-labelledby="mail-title">
      <h2 id="mail-title">Рассылки списков расхождений</h2>
      <p className="help">После каждого аудита по расписанию получатели рассылки получают список расхождений: по группе, по рынку или все.</p>
      {list.error && <p className="problem">{list.error.message}</p>}
      {problem && <p className="problem" role="alert">{problem}</p>}
      {list.data && subscriptions.length === 0 && <p className="empty">Рассылок нет.</p>}
      {subscriptions.length > 0 && (
        <table className="dense subscriptions">
          <thead>
            <tr><th>Название</th><th>Получатели</th><th>Группа</th><th>Рынок</th><th>Активна</th><th>Без изменений</th><th>Последняя отправка</th><th><span className="visually-hidden">Действия</span></th></tr>
          </thead>
          <tbody>
            {subscriptions.map((s) => (
              <tr key={s.id} className={s.active ? undefined : 'off'}>
                <td>{s.name}</td>
                <td>{s.recipients.length ? s.recipients.join(', ') : 'e-mail группы'}</td>
                <td>{s.group ? `${s.group.code} — ${s.group.name}` : 'все'}</td>
                <td>{s.marketCode ?? 'все'}</td>
                <td>{s.active ? 'да' : 'нет'}</td>
                <td>{s.sendWhenUnchanged ? 'слать' : 'не слать'}</td>
                <td className="k">{s.lastSentAt ? formatDateTime(s.lastSentAt) : '—'}</td>
                <td className="k">
                  <button type="button" className="link" onClick={() => setEditing(s)} aria-label={`Изменить рассылку «${s.name}»`}>Изменить</button>{' '}
                  <button type="button" className="link" onClick={() => void del(s)} aria-label={`Удалить рассылку «${s.name}»`}>Удалить</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!editing && <div className="actions"><button type="button" onClick={() => setEditing('new')}>Новая рассылка</button></div>}
      {editing && <SubscriptionForm key={editing === 'new' ? 'new' : editing.id} viewer={viewer} groups={list.data?.groups ?? []}
        subscription={editing === 'new' ? null : editing} onDone={() => { setEditing(null); reload() }} onCancel={() => setEditing(null)} />}
    </section>
  )
}

const SUBSCRIPTION_FIELDS = ['name', 'recipients', 'groupCode', 'marketCode', 'sendWhenUnchanged', 'active']

function SubscriptionForm({ viewer, groups, subscription, onDone, onCancel }: {
  viewer: Viewer; groups: ReadonlyArray<{ code: string; name: string }>; subscription: Subscription | null; onDone: () => void; onCancel: () => void
}) {
  const { limited, markets } = useMarkets(viewer)
  const [name, setName] = useState(subscription?.name ?? '')
  const [recipients, setRecipients] = useState(subscription?.recipients.join(', ') ?? '')
  const [group, setGroup] = useState(subscription?.group?.code ?? '')
  const [market, setMarket] = useState(subscription?.marketCode ?? (limited ? viewer.markets[0] : ''))
  const [active, setActive] = useState(subscription?.active ?? true)
  const [unchanged, setUnchanged] = useState(subscription?.sendWhenUnchanged ?? false)
  const [problems, setProblems] = useState<Problem[]>([])
  const [created, create] = useMutation(CreateMailSubscriptionMutation)
  const [updated, update] = useMutation(UpdateMailSubscriptionMutation)
  const byField = problemsByField(problems, SUBSCRIPTION_FIELDS)

  async function submit(event: React.FormEvent) {
    event.preventDefault()
    setProblems([])
    const input = { name, recipients: splitRecipients(recipients), groupCode: group || null, marketCode: market || null, active, sendWhenUnchanged: unchanged }
    if (subscription) {
      const result = await update({ id: subscription.id, input })
      const answer = result.data?.updateMailSubscription
      if (answer?.__typename === 'MutationUpdateMailSubscriptionSuccess') onDone()
      else setProblems(refusal(answer, result.error))
    } else {
      const result = await create({ input })
      const answer = result.data?.createMailSubscription
      if (answer?.__typename === 'MutationCreateMailSubscriptionSuccess') onDone()
      else setProblems(refusal(answer, result.error))
    }
  }

  return (
    <form className="subscription-form" onSubmit={submit} noValidate aria-labelledby="subscription-form-title">
      <h3 id="subscription-form-title">{subscription ? `Рассылка «${subscription.name}»` : 'Новая рассылка'}</h3>
      <div className="row">
        <div>
          <label htmlFor="subscription-name">Название</label>
          <input id="subscription-name" value={name} onChange={(e) => setName(e.target.value)} {...invalid('subscription-name-problem', byField.name)} />
          <FieldProblems id="subscription-name-problem" messages={byField.name} />
        </div>
        <div>
          <label htmlFor="subscription-recipients">Получатели (e-mail через запятую; пусто — e-mail группы)</label>
          <textarea id="subscription-recipients" rows={2} cols={44} value={recipients} onChange={(e) => setRecipients(e.target.value)} spellCheck={false}
            {...invalid('subscription-recipients-problem', byField.recipients)} />
          <FieldProblems id="subscription-recipients-problem" messages={byField.recipients} />
        </div>
        <div>
          <label htmlFor="subscription-group">Группа</label>
          <select id="subscription-group" value={group} onChange={(e) => setGroup(e.target.value)} {...invalid('subscription-group-problem', byField.groupCode)}>
            <option value="">все находки</option>
            {groups.map((g) => <option key={g.code} value={g.code}>{g.code} — {g.name}</option>)}
          </select>
          <FieldProblems id="subscription-group-problem" messages={byField.groupCode} />
        </div>
        <div>
          <MarketField id="subscription-market" value={market} onChange={setMarket} markets={markets} limited={limited} problems={byField.marketCode} />
        </div>
        <div>
          <span className="inline"><input id="subscription-active" type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
            <label htmlFor="subscription-active">Активна</label></span>
          <span className="inline"><input id="subscription-unchanged" type="checkbox" checked={unchanged} onChange={(e) => setUnchanged(e.target.checked)} />
            <label htmlFor="subscription-unchanged">Слать, даже если ничего не изменилось</label></span>
        </div>
      </div>
      <FieldProblems id="subscription-problem" messages={byField['']} />
      <div className="actions">
        <button type="submit" disabled={created.fetching || updated.fetching}>{subscription ? 'Сохранить' : 'Создать рассылку'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Отмена</button>
      </div>
    </form>
  )
}
