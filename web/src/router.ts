// The console's few screens as paths (deep links work: the server answers index.html for every page path).
import { useEffect, useState } from 'react'

export interface Screen { path: string; title: string; permission: string }

/** The navigation, in order. A screen is offered only to a role with its permission (`me.permissions`). */
export const SCREENS: readonly Screen[] = [
  { path: '/', title: 'Звонок', permission: 'readMasterData' },
  { path: '/findings', title: 'Находки', permission: 'readFindings' },
  { path: '/audits', title: 'Аудиты и правила', permission: 'readMasterData' },
  { path: '/reports', title: 'Альбом отчётов', permission: 'readFindings' },
]

/** Pages under a screen (a finding, a record): which screen a path belongs to, for its permission and navigation. */
const PAGES: readonly Screen[] = [{ path: '/records', title: 'Запись', permission: 'readMasterData' }]

/** The screen of a path: exact (`/findings`) or a page under it (`/findings/<fingerprint>`, `/records/<type>/<key>`). */
export function screenFor(path: string): Screen | null {
  return SCREENS.find((s) => s.path === path)
    ?? [...SCREENS, ...PAGES].find((s) => s.path !== '/' && path.startsWith(`${s.path}/`)) ?? null
}

/** The parameters of `pattern` (`/records/:type/:key`) in `path`, decoded; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/'), got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!got[i]) return null
      try { params[want[i].slice(1)] = decodeURIComponent(got[i]) } catch { return null }
    } else if (want[i] !== got[i]) return null
  }
  return params
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname)
  useEffect(() => {
    const update = () => setPath(location.pathname)
    addEventListener('popstate', update)
    return () => removeEventListener('popstate', update)
  }, [])
  return path
}

/** The query string of the page (`?rule=…`), following back/forward. */
export function useSearch(): string {
  const [search, setSearch] = useState(location.search)
  useEffect(() => {
    const update = () => setSearch(location.search)
    addEventListener('popstate', update)
    return () => removeEventListener('popstate', update)
  }, [])
  return search
}

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return
  history.pushState(null, '', path)
  dispatchEvent(new PopStateEvent('popstate'))
}
