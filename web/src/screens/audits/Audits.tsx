// «Аудиты и правила»: runs (start one and watch it), a run's details, schedules and mail subscriptions, the
// rule catalogue. Each tab has its own path (/audits, /audits/runs/<id>, /audits/schedules, /audits/rules).
import { navigate, usePath } from '../../router.ts'
import type { Viewer } from '../../SignIn.tsx'
import './audits.css'
import { pathOfView, viewOfPath, type AuditsView } from './logic.ts'
import { RunDetails } from './RunDetails.tsx'
import { Rules } from './Rules.tsx'
import { Runs } from './Runs.tsx'
import { Schedules } from './Schedules.tsx'

const TABS: ReadonlyArray<{ view: AuditsView; title: string }> = [
  { view: { tab: 'runs' }, title: 'Запуски' },
  { view: { tab: 'schedules' }, title: 'Расписания и рассылки' },
  { view: { tab: 'rules' }, title: 'Правила' },
]

export function Audits({ viewer }: { viewer: Viewer }) {
  const path = usePath()
  const view = viewOfPath(path)
  const current = view?.tab === 'run' ? 'runs' : view?.tab
  return (
    <main className="audits" aria-labelledby="audits-title">
      <h1 id="audits-title">Аудиты и правила</h1>
      <nav aria-label="Аудиты и правила: вкладки" className="tabs">
        <ul>
          {TABS.map((t) => {
            const href = pathOfView(t.view)
            return (
              <li key={t.view.tab}>
                <a href={href} aria-current={t.view.tab === current ? 'page' : undefined}
                  onClick={(e) => { e.preventDefault(); navigate(href) }}>{t.title}</a>
              </li>
            )
          })}
        </ul>
      </nav>
      {!view ? <p className="problem">Такой страницы нет: <code>{path}</code>.</p>
        : view.tab === 'runs' ? <Runs viewer={viewer} />
        : view.tab === 'run' ? <RunDetails id={view.id} />
        : view.tab === 'schedules' ? <Schedules viewer={viewer} />
        : <Rules viewer={viewer} />}
    </main>
  )
}
