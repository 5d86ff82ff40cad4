// Serves the web console (web/, built into web/dist at install) at `/`: its hashed assets with a long cache,
// index.html for every other GET path so that deep links work. The API paths never reach it.
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isOpsPath } from './ops.ts'
import type { FetchHandler } from './rest.ts'

/** Where `npm ci` (postinstall) and `npm run web:build` put the built console. */
export const CONSOLE_DIST = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
}

/** Whether a path belongs to the console rather than to the API, GraphiQL or the operations endpoints. */
export function isConsolePath(pathname: string): boolean {
  return !(pathname === '/graphql' || pathname.startsWith('/graphql/') || pathname.startsWith('/graphiql-assets')
    || pathname === '/api' || pathname.startsWith('/api/') || isOpsPath(pathname))
}

export interface ConsoleOptions {
  /** the built console (default: web/dist) */
  dist?: string
  /** a key the page signs in with by itself: the ADMIN key made on this start, for a loopback listener only */
  bootKey?: string
}

/** The element the console reads its boot key from (web/src/session.ts). */
export const BOOT_ELEMENT_ID = 'sverka-boot'

export function createConsole(options: ConsoleOptions = {}): FetchHandler {
  const dist = options.dist ?? CONSOLE_DIST
  // read on every page load (a small file): a rebuild while the server runs is served at once
  const indexHtml = async () => withBootKey(await readFile(join(dist, 'index.html'), 'utf8'), options.bootKey)
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Метод не поддерживается', { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' } })
    }
    if (!existsSync(join(dist, 'index.html'))) return notBuilt()
    let pathname: string
    try { pathname = decodeURIComponent(new URL(request.url).pathname) } catch { return new Response('Неверный адрес', { status: 400 }) }
    const file = normalize(join(dist, pathname))
    const inside = file.startsWith(dist + sep)
    if (inside && extname(file) && existsSync(file) && !file.endsWith(`${sep}index.html`)) {
      const body = await readFile(file)
      // Vite names what it builds under assets/ by its content: it can be kept for a year
      const immutable = pathname.startsWith('/assets/')
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          'x-content-type-options': 'nosniff',
        },
      })
    }
    // a missing asset is a 404, not the page: a stale tab must not run HTML as a script
    if (pathname.startsWith('/assets/')) return new Response('Нет такого файла', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    return new Response(request.method === 'HEAD' ? null : await indexHtml(), {
      headers: {
        'content-type': TYPES['.html'],
        // the page may carry the boot key: never stored by a cache
        'cache-control': options.bootKey ? 'no-store' : 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    })
  }
}

/** index.html with the boot key as inline JSON (not a URL: it is never in history, logs or a Referer). */
export function withBootKey(html: string, key: string | undefined): string {
  if (!key) return html
  const json = JSON.stringify({ key }).replace(/</g, '\\u003c')
  return html.replace('</head>', `<script id="${BOOT_ELEMENT_ID}" type="application/json">${json}</script></head>`)
}

function notBuilt(): Response {
  return new Response(`<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Сверка — консоль не собрана</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>Консоль не собрана</h1>
<p>Веб-консоль собирается при установке. Выполните в каталоге Сверки <code>npm ci</code>
(или только сборку консоли: <code>npm run web:build</code>) и обновите страницу.</p>
<p>API и GraphiQL работают и сейчас: <a href="/graphql">/graphql</a>.</p>
</body></html>`, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } })
}
