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
