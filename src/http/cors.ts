// Cross-origin access to the API (/graphql, /api/v1/, /health, /metrics): none by default — the API is used by
// servers and by pages of Sverka's own origin, with Bearer keys — so a page of another site gets no answer it
// may read. SVERKA_CORS_ORIGINS lets listed origins in, never with credentials: a key travels in the
// Authorization header, which such a page sets itself; cookies and cached Basic passwords are never honoured.
import { InputError } from '../errors.ts'
import { HTTP_RU } from '../i18n/ru-errors.ts'

export const CORS_ORIGINS_ENV = 'SVERKA_CORS_ORIGINS'

/** What a preflight allows an admitted origin: the API's methods and the headers its clients send. */
const ALLOW_METHODS = 'GET, POST'
const ALLOW_HEADERS = 'authorization, content-type, accept'
const MAX_AGE_SECONDS = 600

/**
 * The origins of SVERKA_CORS_ORIGINS (or `value`): comma- or space-separated `scheme://host[:port]`. Anything
 * else — a path, `*`, `null` — is refused naming the entry, so that a typo does not open the API silently.
 */
export function corsOrigins(value: string | undefined = process.env[CORS_ORIGINS_ENV]): string[] {
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean)
  return [...new Set(entries.map((entry) => {
    let url: URL | null = null
    try {
      url = new URL(entry)
    } catch { /* refused below */ }
    const bare = url && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password &&
      url.pathname === '/' && !url.search && !url.hash
    if (!url || !bare) {
      throw new InputError(HTTP_RU.notOrigin(CORS_ORIGINS_ENV, JSON.stringify(entry), 'scheme://host[:port]', 'https://desk.example.ru'))
    }
    return url.origin
  }))]
}

/** The CORS answer of one deployment: which origins may read the API's answers. */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins)
  }

  /** The request's Origin when it is one of the admitted ones, else null. */
  admitted(request: Request): string | null {
    const origin = request.headers.get('origin')
    return origin !== null && this.origins.has(origin) ? origin : null
  }

  /** graphql-yoga's `cors` option: off without origins; an admitted origin gets the same headers as the REST API. */
  yogaOption() {
    if (this.origins.size === 0) return false as const
    return (request: Request) => {
      const origin = this.admitted(request)
      return origin === null ? false as const : {
        origin: [origin], credentials: false, methods: ALLOW_METHODS.split(', '), allowedHeaders: ALLOW_HEADERS.split(', '), maxAge: MAX_AGE_SECONDS,
      }
    }
  }

  /**
   * A fetch handler with this policy: an admitted origin's preflight is answered here, and its answers carry
   * Access-Control-Allow-Origin; any other request is the handler's as before. Paths `applies` refuses are left alone.
   */
  wrap(handler: (request: Request) => Promise<Response>, applies: (pathname: string) => boolean = () => true) {
    if (this.origins.size === 0) return handler
    return async (request: Request): Promise<Response> => {
      if (!applies(new URL(request.url).pathname)) return handler(request)
      const origin = this.admitted(request)
      if (origin !== null && request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
        return new Response(null, {
          status: 204,
          headers: {
            'access-control-allow-origin': origin, 'access-control-allow-methods': ALLOW_METHODS,
            'access-control-allow-headers': ALLOW_HEADERS, 'access-control-max-age': String(MAX_AGE_SECONDS),
            vary: 'Origin', 'content-length': '0',
          },
        })
      }
      const response = await handler(request)
      // a cache between must not hand one origin's answer to another
      const headers = new Headers(response.headers)
      headers.append('vary', 'Origin')
      if (origin !== null) headers.set('access-control-allow-origin', origin)
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
    }
  }
}
