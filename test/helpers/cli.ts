// Runs the real `sverka` command on an embedded data directory, as a user would.
import { spawnSync } from 'node:child_process'
import { expect } from 'vitest'

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** A `sverka` bound to one data directory (never DATABASE_URL: the embedded default). */
export function sverkaIn(dataDir: string, logLevel = 'silent') {
  return (...args: string[]): CliResult => {
    const env: NodeJS.ProcessEnv = { ...process.env, SVERKA_DATA_DIR: dataDir, LOG_LEVEL: logLevel }
    delete env.DATABASE_URL
    delete env.REDIS_URL
    delete env.VITEST
    const r = spawnSync(process.execPath, ['src/cli/sverka.mjs', ...args], { env, encoding: 'utf8', timeout: 120_000 })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr }
  }
}

/** Errors are one line on stderr, never a stack trace; returns that line. */
export function oneLine(stderr: string) {
  const lines = stderr.trim().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
  return lines[0]
}
