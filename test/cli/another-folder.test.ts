// The README's way to run `sverka` from a folder outside the checkout (a bare `npx sverka` there asks the
// registry for a package «sverka» and fails with a 404): the exact command it shows, run from a temp folder.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/csv.ts'

const checkout = resolve(import.meta.dirname, '../..')
const README_COMMAND = 'npx --prefix /path/to/sverka sverka'

/** A user's shell in `cwd`: none of the npm_* variables `npm test` sets, no test database settings. */
function shellIn(cwd: string, command: string, args: string[]) {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v
  delete env.DATABASE_URL
  delete env.REDIS_URL
  delete env.SVERKA_DATA_DIR
  delete env.VITEST
  env.LOG_LEVEL = 'silent'
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 })
}

describe('sverka from another folder', () => {
  it(`works as the README says: ${README_COMMAND} … (paths and the data directory are the folder's own)`, () => {
    expect(readFileSync(join(checkout, 'README.md'), 'utf8')).toContain(`${README_COMMAND} `)
    const folder = tempDir('elsewhere-')
    expect(folder.startsWith(tmpdir())).toBe(true)
    const [npx, ...prefix] = README_COMMAND.replace('/path/to/sverka', checkout).split(' ')
    const seed = shellIn(folder, npx, [...prefix, 'seed', '--scale', '5', '--out', 'seed'])
    expect(seed.status, seed.stderr).toBe(0)
    expect(existsSync(join(folder, 'seed', 'contracts.csv'))).toBe(true)
    const imported = shellIn(folder, npx, [...prefix, 'import', 'seed'])
    expect(imported.status, imported.stderr).toBe(0)
    expect(imported.stdout).toMatch(/contracts\.csv/)
    // the embedded database is ./.sverka of the folder the command runs in, not of the checkout
    expect(existsSync(join(folder, '.sverka', 'db'))).toBe(true)
  }, 120_000)
})
