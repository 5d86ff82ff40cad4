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

/** The screen of a path: its own path, or one under it (/audits/rules is «Аудиты и правила»). */
export function matchScreen(path: string): Screen | null {
  return SCREENS.find((s) => s.path === path) ?? SCREENS.find((s) => s.path !== '/' && path.startsWith(`${s.path}/`)) ?? null
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

export function navigate(path: string): void {
  if (path === location.pathname) return
  history.pushState(null, '', path)
  dispatchEvent(new PopStateEvent('popstate'))
}
