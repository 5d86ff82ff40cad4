// `sverka serve` as a newcomer starts it: the real command on a data directory (the embedded database unless a
// PostgreSQL URL is given; never the caller's DATABASE_URL), its printed URL and first ADMIN key read from stdout.
import { spawn, type ChildProcess } from 'node:child_process'

export interface Served {
  child: ChildProcess
  /** the URLs and key it printed (key: null when none was created) */
  ready: Promise<{ url: string; consoleUrl: string; key: string | null }>
  exited: Promise<number | null>
  output(): { stdout: string; stderr: string }
}

export interface ServeOptions {
  /** PostgreSQL instead of the embedded database */
  databaseUrl?: string
  /** more arguments of `sverka serve` (e.g. --no-demo) */
  args?: string[]
  env?: NodeJS.ProcessEnv
}

export function serveIn(dataDir: string, options: ServeOptions = {}): Served {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, SVERKA_DATA_DIR: dataDir, SVERKA_DEMO_SCALE: '150', LOG_LEVEL: 'warn', ...options.env }
  delete childEnv.DATABASE_URL
  delete childEnv.REDIS_URL
  delete childEnv.VITEST
  if (options.databaseUrl) childEnv.DATABASE_URL = options.databaseUrl
  const child = spawn(process.execPath, ['src/cli/sverka.mjs', 'serve', '--port', '0', ...(options.args ?? [])], { env: childEnv })
  let stdout = '', stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const ready = new Promise<{ url: string; consoleUrl: string; key: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}\n${stderr}`)), 110_000)
    child.stdout.on('data', () => {
      const url = /API GraphQL Сверки: (\S+)/.exec(stdout)?.[1]
      // the key line follows the URL line in the same write when there is one
      if (url && (stdout.includes('Передавайте его в заголовке') || !stdout.includes('Ключ API роли ADMIN'))) {
        clearTimeout(timer)
        resolve({ url, consoleUrl: /Консоль Сверки: (\S+)/.exec(stdout)?.[1] ?? url.replace(/graphql$/, ''), key: /Ключ API роли ADMIN[^:]*: (sk_\S+)/.exec(stdout)?.[1] ?? null })
      }
    })
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${stderr}`)) })
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, ready, exited, output: () => ({ stdout, stderr }) }
}
