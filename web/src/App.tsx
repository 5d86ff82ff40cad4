// The console's frame: sign-in, then the header (who is signed in: role and markets), the navigation the role
// may use, one notice when the server does not answer, and the screen of the current path.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import { Provider } from 'urql'
import { makeClient } from './client.ts'
import { marketsText, ROLE_WORD } from './format.ts'
import { navigate, SCREENS, screenFor, usePath } from './router.ts'
import { Audits } from './screens/audits/Audits.tsx'
import { Call, forgetSearch } from './screens/Call.tsx'
import { FindingsRoute } from './screens/findings/FindingsRoute.tsx'
import { RecordRoute } from './screens/record/RecordRoute.tsx'
import { forgetKey, keepKey, storedKey } from './session.ts'
import { checkKey, SignIn, type Viewer } from './SignIn.tsx'

// the album brings ECharts: a chunk of its own, fetched when /reports is opened
const Album = lazy(() => import('./screens/reports/Album.tsx'))

type State =
  | { kind: 'checking'; key: string }
  | { kind: 'signedOut'; reason: string | null }
  | { kind: 'signedIn'; key: string; viewer: Viewer }
  | { kind: 'unreachable'; key: string }

export function App() {
  const [state, setState] = useState<State>(() => {
    const key = storedKey()
    return key ? { kind: 'checking', key } : { kind: 'signedOut', reason: null }
  })

  const check = useCallback(async (key: string) => {
    const result = await checkKey(key)
    if ('viewer' in result) { keepKey(key); setState({ kind: 'signedIn', key, viewer: result.viewer }) }
    else if ('refused' in result) { forgetKey(); setState({ kind: 'signedOut', reason: result.refused }) }
    else setState({ kind: 'unreachable', key })
  }, [])
  // oxlint-disable-next-line react/set-state-in-effect -- check sets the state once the server has answered, not synchronously
  useEffect(() => { if (state.kind === 'checking') void check(state.key) }, [state, check])
  const signOut = useCallback((reason: string | null) => { forgetKey(); forgetSearch(); setState({ kind: 'signedOut', reason }) }, [])

  if (state.kind === 'checking') return <main className="loading" aria-busy="true">Проверяем ключ…</main>
  if (state.kind === 'unreachable') return <Unreachable onRetry={() => setState({ kind: 'checking', key: state.key })} />
  if (state.kind === 'signedOut') {
    return <SignIn reason={state.reason} onSignedIn={(key, viewer) => { keepKey(key); setState({ kind: 'signedIn', key, viewer }) }} />
  }
  return <Console key={state.key} apiKey={state.key} viewer={state.viewer} onSignOut={signOut} />
}

function Unreachable({ onRetry }: { onRetry: () => void }) {
  return (
    <main className="signin">
      <div className="problem" role="alert">
        <p>Сервер Сверки не отвечает. Проверьте, что он запущен (<code>npx sverka serve</code>) и сеть в порядке.</p>
        <button type="button" onClick={onRetry}>Повторить</button>
      </div>
    </main>
  )
}

function Console({ apiKey, viewer, onSignOut }: { apiKey: string; viewer: Viewer; onSignOut: (reason: string | null) => void }) {
  const [offline, setOffline] = useState(false)
  // a new attempt after the server was away: the screen is drawn again and asks again
  const [attempt, setAttempt] = useState(0)
  const client = useMemo(() => makeClient(apiKey, {
    unauthenticated: (reason) => onSignOut(reason),
    unreachable: () => setOffline(true),
    reachable: () => setOffline(false),
  }), [apiKey, onSignOut])
  const path = usePath()
  const allowed = SCREENS.filter((s) => viewer.permissions.includes(s.permission))
  const screen = screenFor(path)
  const mayOpen = screen !== null && viewer.permissions.includes(screen.permission)

  return (
    <Provider value={client}>
      <header className="top">
        <span className="brand">Сверка</span>
        <nav aria-label="Разделы">
          <ul>
            {allowed.map((s) => (
              <li key={s.path}>
                <a href={s.path} aria-current={s.path === path ? 'page' : undefined}
                  onClick={(e) => { e.preventDefault(); navigate(s.path) }}>{s.title}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who" aria-label="Вход выполнен">
          <span>ключ «{viewer.name}»</span>
          <span className="role">{ROLE_WORD[viewer.role] ?? viewer.role}</span>
          <span className="markets">{marketsText(viewer.markets)}</span>
          <button type="button" className="link" onClick={() => onSignOut(null)}>Выйти</button>
        </div>
      </header>
      {offline && (
        <div className="offline" role="alert">
          Сервер Сверки не отвечает — данные на экране могут быть устаревшими.
          <button type="button" onClick={() => { setOffline(false); setAttempt((n) => n + 1) }}>Повторить</button>
        </div>
      )}
      <div key={attempt} className="screen">
        {!screen || !mayOpen
          ? <NotOffered path={path} known={screen !== null} first={allowed[0]?.path ?? null} />
          : <Screen path={screen.path} viewer={viewer} />}
      </div>
    </Provider>
  )
}

function Screen({ path, viewer }: { path: string; viewer: Viewer }) {
  switch (path) {
    case '/': return <Call canRegister={viewer.permissions.includes('intake')} />
    case '/findings': return <FindingsRoute viewer={viewer} />
    case '/records': return <RecordRoute viewer={viewer} />
    case '/audits': return <Audits viewer={viewer} />
    default: return (
      <Suspense fallback={<main className="loading" aria-busy="true">Загружаем альбом отчётов…</main>}>
        <Album />
      </Suspense>
    )
  }
}

function NotOffered({ path, known, first }: { path: string; known: boolean; first: string | null }) {
  return (
    <main className="placeholder" aria-labelledby="absent-title">
      <h1 id="absent-title">{known ? 'Этот раздел недоступен вашему ключу' : 'Такой страницы нет'}</h1>
      <p>Адрес: <code>{path}</code>.</p>
      {first && <p><a href={first} onClick={(e) => { e.preventDefault(); navigate(first) }}>Перейти в первый доступный раздел</a></p>}
    </main>
  )
}
