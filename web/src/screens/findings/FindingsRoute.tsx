// «Находки»: the table at /findings, a finding's page at /findings/<fingerprint> (e-mails link to exactly this path).
import './findings.css'
import type { Viewer } from '../../SignIn.tsx'
import { matchPath, usePath } from '../../router.ts'
import { FindingPage } from './FindingPage.tsx'
import { FindingsTable } from './FindingsTable.tsx'

export function FindingsRoute({ viewer }: { viewer: Viewer }) {
  const path = usePath()
  const page = matchPath('/findings/:fingerprint', path)
  if (page) return <FindingPage key={page.fingerprint} fingerprint={page.fingerprint} viewer={viewer} />
  return <FindingsTable viewer={viewer} />
}
