// The suite's workers keep their modules from one test file to the next (vitest.config.ts, isolate: false); a file
// that replaces a module with vi.mock would hand its fake to the files after it. Such a file must be listed in
// the config's ISOLATED, which runs it with modules of its own.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [relative(root, join(dir, e.name))] : [])
}

describe('test isolation', () => {
  it('every test file that replaces a module (vi.mock, vi.doMock) runs isolated', () => {
    const config = readFileSync(join(root, 'vitest.config.ts'), 'utf8')
    const isolated = JSON.parse(/const ISOLATED = (\[[^\]]*\])/.exec(config)![1].replace(/'/g, '"')) as string[]
    const mocking = testFiles(join(root, 'test')).filter((f) => /\bvi\.(do)?[mM]ock\(/.test(readFileSync(join(root, f), 'utf8').replace(/^\s*\/\/.*$/gm, '')))
    expect(mocking.sort()).toEqual([...isolated].sort())
  })
})
