// `sverka serve` in its own process for the latency benchmarks (bench-api, bench-reports): no demo, warn-level logs,
// NODE_ENV=production; resolves with the GraphQL endpoint it prints and the process to stop.
import { spawn, type ChildProcess } from 'node:child_process'

export async function startServer(env: NodeJS.ProcessEnv): Promise<{ endpoint: string; server: ChildProcess }> {
  const server = spawn(process.execPath, ['src/cli/sverka.mjs', 'serve', '--port', '0', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = ''
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /API GraphQL Сверки: (\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    server.once('exit', (code) => reject(new Error(`sverka serve exited with ${code}`)))
  })
  return { endpoint, server }
}
