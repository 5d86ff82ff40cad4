// /findings: the NSI specialist's list. Filters (rule, market, severity, status, group, age, and the reports'
// drill-down conditions shown as removable chips), sort and page live in the query string (shareable;
// back/forward work); rows are chosen for one bulk action in one request.
import { createColumnHelper, rowSelectionFeature, tableFeatures, useTable, type RowSelectionState } from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { useQuery } from 'urql'
import type { FindingsChoicesQuery as FindingsChoices, FindingsListQuery as FindingsList } from '../../gql/graphql.ts'
import { count, FINDING_STATUS_WORD, FINDINGS, formatDateTime, SEVERITY_WORD, supportLine } from '../../format.ts'
import { navigate, useSearch } from '../../router.ts'
import type { Viewer } from '../../SignIn.tsx'
import { Severity } from '../Card.tsx'
import { ActionBar, allowedActions } from './Actions.tsx'
import { FindingsChoicesQuery, FindingsListQuery } from './operations.ts'
import {
  AGE_WORD, conditionChips, findingFilter, ORDER_WORD, pageArgs, parseView, SEVERITIES, STATUSES, viewSearch, withFilter,
  type Age, type FindingsView, type Order, type SeverityValue, type StatusValue,
} from './url.ts'

type Row = FindingsList['findings']['edges'][number]['node']

const features = tableFeatures({ rowSelectionFeature })
const helper = createColumnHelper<typeof features, Row>()
const NO_ROWS: Row[] = []

export function findingHref(fingerprint: string): string {
  return `/findings/${encodeURIComponent(fingerprint)}`
}

function go(view: FindingsView) {
  navigate(`/findings${viewSearch(view)}`)
}

export function FindingsTable({ viewer }: { viewer: Viewer }) {
  const search = useSearch()
  const view = useMemo(() => parseView(search), [search])
  // the age is measured from when the view was opened: the same link gives the same list for a while
  // oxlint-disable-next-line react/purity, react-hooks/exhaustive-deps -- the clock is read again when the view changes, on purpose
  const now = useMemo(() => Date.now(), [search])
  const variables = useMemo(() => ({ filter: findingFilter(view, now), orderBy: view.order, ...pageArgs(view) }), [view, now])
  const [list, refetch] = useQuery({ query: FindingsListQuery, variables })
  const [choices] = useQuery({ query: FindingsChoicesQuery })
  const [selection, setSelection] = useState<RowSelectionState>({})

  const rows = list.data?.findings.edges.map((e) => e.node) ?? NO_ROWS
  const columns = useMemo(() => helper.columns([
    helper.display({
      id: 'select',
      header: ({ table }) => (
        <input type="checkbox" aria-label="Выбрать все на странице" checked={table.getIsAllPageRowsSelected()}
          ref={(el) => { if (el) el.indeterminate = table.getIsSomePageRowsSelected() && !table.getIsAllPageRowsSelected() }}
          onChange={table.getToggleAllPageRowsSelectedHandler()} />
      ),
      cell: ({ row }) => (
        <input type="checkbox" aria-label={`Выбрать: ${row.original.message}`} checked={row.getIsSelected()} onChange={row.getToggleSelectedHandler()} />
      ),
    }),
    helper.accessor('severity', { header: () => <SortHeader label="Важность" view={view} asc="SEVERITY" />, cell: (c) => <Severity value={c.getValue()} /> }),
    helper.accessor('ruleTitle', { header: 'Правило', cell: (c) => c.getValue() ?? c.row.original.ruleId }),
    helper.accessor('message', {
      header: 'Что не так',
      cell: (c) => <a href={findingHref(c.row.original.fingerprint)} onClick={(e) => { e.preventDefault(); navigate(findingHref(c.row.original.fingerprint)) }}>{c.getValue()}</a>,
    }),
    helper.accessor('marketCode', { header: 'Рынок', cell: (c) => c.getValue() ?? '—' }),
    helper.accessor('status', { header: 'Статус', cell: (c) => FINDING_STATUS_WORD[c.getValue()] ?? c.getValue() }),
    helper.accessor('group', {
      header: 'Группа · линия',
      cell: (c) => <>{c.getValue()?.name ?? <span className="muted">не назначена</span>} · {supportLine(c.row.original.supportLine ?? c.getValue()?.supportLine)}</>,
    }),
    helper.accessor('ageText', {
      header: () => <SortHeader label="Возраст" view={view} asc="FIRST_SEEN_DESC" desc="FIRST_SEEN_ASC" />,
      cell: (c) => <span title={`с ${formatDateTime(c.row.original.firstSeenAt)}`}>{c.getValue()}</span>,
    }),
    helper.accessor('incidentCount', { header: 'Обращ.', cell: (c) => (c.getValue() + c.row.original.complaintCount) || '' }),
  ]), [view])
  const table = useTable({
    features, columns, data: rows,
    getRowId: (row) => row.fingerprint,
    state: { rowSelection: selection },
    onRowSelectionChange: setSelection,
  })
  const chosen = Object.keys(selection).filter((k) => selection[k])
  const actions = allowedActions(viewer.permissions, ['acknowledge', 'assign', 'resolve', 'waive'])
  const byFingerprint = new Map(rows.map((r) => [r.fingerprint, r]))
  const page = list.data?.findings

  return (
    <main className="findings-screen" aria-labelledby="findings-title">
      <h1 id="findings-title">Находки</h1>
      <Filters view={view} choices={choices.data} />
      <div className="table-head">
        <p className="total" role="status">
          {page ? `${view.all ? 'Всего' : view.statuses.length ? 'Найдено' : 'Открытых'}: ${count(page.totalCount, FINDINGS)}` : list.fetching ? 'Загружаем…' : ''}
          {chosen.length > 0 && <> · выбрано {chosen.length}</>}
        </p>
        <ActionBar fingerprints={chosen} actions={actions} groups={choices.data?.groups ?? []} label="Действия с выбранными"
          describe={(fp) => byFingerprint.get(fp)?.message ?? fp}
          onDone={(outcomes) => {
            // those done leave the selection; refused ones stay chosen next to their reason
            setSelection(Object.fromEntries(outcomes.filter((o) => !o.ok).map((o) => [o.fingerprint, true])))
            refetch({ requestPolicy: 'network-only' })
          }} />
      </div>
      {list.error && !list.data && <p className="problem" role="alert">Список не загрузился: {list.error.graphQLErrors[0]?.message ?? 'сервер не ответил'}.</p>}
      <table className="dense grid" aria-label="Находки">
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => <th key={h.id} scope="col" className={`c-${h.column.id}`}><table.FlexRender header={h} /></th>)}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className={`sev-edge-${row.original.severity.toLowerCase()}${row.getIsSelected() ? ' selected' : ''}`}>
              {row.getAllCells().map((cell) => <td key={cell.id} className={`c-${cell.column.id}`}><table.FlexRender cell={cell} /></td>)}
            </tr>
          ))}
          {page && rows.length === 0 && <tr><td colSpan={columns.length} className="empty">Под эти условия находок нет.</td></tr>}
        </tbody>
      </table>
      <nav className="pager" aria-label="Страницы">
        <button type="button" className="secondary" disabled={!page?.pageInfo.hasPreviousPage && !view.after}
          onClick={() => { setSelection({}); go({ ...view, after: null, before: page?.pageInfo.startCursor ?? null }) }}>← Назад</button>
        <button type="button" className="secondary" disabled={!page?.pageInfo.hasNextPage}
          onClick={() => { setSelection({}); go({ ...view, before: null, after: page?.pageInfo.endCursor ?? null }) }}>Далее →</button>
      </nav>
    </main>
  )
}

function SortHeader({ label, view, asc, desc }: { label: string; view: FindingsView; asc: Order; desc?: Order }) {
  const active = view.order === asc || view.order === desc
  const next: Order = view.order === asc && desc ? desc : asc
  const arrow = view.order === asc ? ' ↓' : view.order === desc ? ' ↑' : ''
  return (
    <button type="button" className="link sort" aria-label={`${label}: сортировать (${ORDER_WORD[next]})`} aria-pressed={active}
      onClick={() => go(withFilter(view, { order: next }))}>{label}{arrow}</button>
  )
}

/** The conditions a report's link set that the form has no control for: visible, and removable one by one. */
function Conditions({ view, set }: { view: FindingsView; set: (change: Partial<FindingsView>) => void }) {
  const chips = conditionChips(view)
  if (!chips.length) return null
  return (
    <ul className="conditions" aria-label="Ещё условия">
      {chips.map((c) => (
        <li key={c.label} className="chip condition">
          {c.label}
          <button type="button" className="link" aria-label={`Убрать условие «${c.label}»`} title="Убрать условие" onClick={() => set(c.clear)}>×</button>
        </li>
      ))}
    </ul>
  )
}

function Filters({ view, choices }: { view: FindingsView; choices: FindingsChoices | undefined }) {
  const set = (change: Partial<FindingsView>) => go(withFilter(view, change))
  const toggle = <T extends string>(list: readonly T[], value: T) => list.includes(value) ? list.filter((v) => v !== value) : [...list, value]
  const statusValue = view.all ? 'all' : view.statuses.length === 1 ? view.statuses[0] : view.statuses.length ? 'some' : ''
  return (
    <form className="filters" aria-label="Фильтры" onSubmit={(e) => e.preventDefault()}>
      <label>Правило
        <select value={view.rules.length === 1 ? view.rules[0] : view.rules.length ? 'some' : ''}
          onChange={(e) => set({ rules: e.target.value ? [e.target.value] : [] })}>
          <option value="">все правила</option>
          {view.rules.length > 1 && <option value="some">{view.rules.join(', ')}</option>}
          {choices?.rules.map((r) => <option key={r.id} value={r.id}>{r.title.ru}</option>)}
        </select>
      </label>
      <label>Рынок
        <select value={view.market ?? ''} onChange={(e) => set({ market: e.target.value || null, noMarket: false })}>
          <option value="">все рынки</option>
          {choices?.markets.map((m) => <option key={m.code} value={m.code}>{m.code} — {m.name}</option>)}
        </select>
      </label>
      <fieldset className="sevs">
        <legend>Важность</legend>
        {SEVERITIES.map((s: SeverityValue) => (
          <label key={s} className={`chip sev-${s.toLowerCase()}`}>
            <input type="checkbox" checked={view.severities.includes(s)} onChange={() => set({ severities: toggle(view.severities, s) })} /> {SEVERITY_WORD[s]}
          </label>
        ))}
      </fieldset>
      <label>Статус
        <select value={statusValue} onChange={(e) => {
          const v = e.target.value
          set(v === 'all' ? { all: true, statuses: [] } : { all: false, statuses: v && v !== 'some' ? [v as StatusValue] : v === 'some' ? view.statuses : [] })
        }}>
          <option value="">открытые</option>
          {STATUSES.map((s) => <option key={s} value={s}>{FINDING_STATUS_WORD[s]}</option>)}
          {view.statuses.length > 1 && <option value="some">{view.statuses.map((s) => FINDING_STATUS_WORD[s]).join(', ')}</option>}
          <option value="all">все, включая закрытые</option>
        </select>
      </label>
      <label>Группа
        <select value={view.group ?? ''} onChange={(e) => set({ group: e.target.value || null, noGroup: false })}>
          <option value="">все группы</option>
          {choices?.groups.map((g) => <option key={g.code} value={g.code}>{g.name}</option>)}
        </select>
      </label>
      <label>Возраст
        <select value={view.age ?? ''} onChange={(e) => set({ age: (e.target.value || null) as Age | null })}>
          <option value="">любой</option>
          {(Object.keys(AGE_WORD) as Age[]).map((a) => <option key={a} value={a}>{AGE_WORD[a]}</option>)}
        </select>
      </label>
      <label>Порядок
        <select value={view.order} onChange={(e) => set({ order: e.target.value as Order })}>
          {(Object.keys(ORDER_WORD) as Order[]).map((o) => <option key={o} value={o}>{ORDER_WORD[o]}</option>)}
        </select>
      </label>
      {viewSearch({ ...view, after: null, before: null }) && <button type="button" className="link" onClick={() => navigate('/findings')}>Сбросить</button>}
      <Conditions view={view} set={set} />
    </form>
  )
}
