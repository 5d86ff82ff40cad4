// Where the e-mails' links point: the console's page of a finding, `<base>/findings/<fingerprint>`.
// The base is SVERKA_PUBLIC_URL (the address the mail's readers open the console at); without it the
// address `sverka serve` listens at when the mail is sent from the server's own process (embedded
// jobs); without either, no links and one warning. A link never carries a key: the console asks for it.
import { moduleLogger } from '../logger.ts'

/** exported for the test of its one warning */
export const log = moduleLogger('links')

export const PUBLIC_URL_ENV = 'SVERKA_PUBLIC_URL'

/** The base set by `sverka serve` once it listens (its console's URL); null in a worker. */
let servedUrl: string | null = null
let warned = false

/**
 * The base URL as links use it (no trailing `/`), or an error saying what is wrong with `raw`: an
 * http(s) URL with no user or password (a secret would travel in every e-mail), query or fragment.
 */
export function parsePublicUrl(raw: string): { ok: true; base: string } | { ok: false; error: string } {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    return { ok: false, error: 'not a URL' }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, error: `scheme ${u.protocol} is not http: or https:` }
  if (u.username || u.password) return { ok: false, error: 'a user or password in it would be sent in every e-mail' }
  if (u.search || u.hash) return { ok: false, error: 'a query or fragment (?…, #…) has no place in a base URL' }
  return { ok: true, base: `${u.origin}${u.pathname.replace(/\/+$/, '')}` }
}

/** Called by `sverka serve` with its console's URL: the fallback base of mail sent from that process. */
export function setServedUrl(url: string | null) {
  servedUrl = url
}

/**
 * The base of the links in mail sent now: SVERKA_PUBLIC_URL, else the served URL, else null (one
 * warning a process: the mail goes out without links). A SVERKA_PUBLIC_URL that is not usable is
 * warned about and ignored rather than stopping the mail.
 */
export function consoleBaseUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env[PUBLIC_URL_ENV]?.trim()
  if (raw) {
    const parsed = parsePublicUrl(raw)
    if (parsed.ok) return parsed.base
    warnOnce({ setting: PUBLIC_URL_ENV, error: parsed.error }, `${PUBLIC_URL_ENV} is not usable: e-mails go out without links to the console`)
  }
  if (servedUrl) {
    const served = parsePublicUrl(servedUrl)
    if (served.ok) return served.base
  }
  if (!raw) warnOnce({ setting: PUBLIC_URL_ENV }, `${PUBLIC_URL_ENV} is not set: e-mails go out without links to the console`)
  return null
}

function warnOnce(fields: Record<string, unknown>, message: string) {
  if (warned) return
  warned = true
  log.warn(fields, message)
}

/** The console's page of a finding. */
export function findingUrl(base: string, fingerprint: string): string {
  return `${base}/findings/${encodeURIComponent(fingerprint)}`
}
