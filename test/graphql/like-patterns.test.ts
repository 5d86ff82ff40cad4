// Text that reaches a LIKE/ILIKE pattern matches itself: the helpers escape the wildcards, and a meta-test keeps
// every case-insensitive Prisma filter and every raw LIKE in src on a reviewed path (issue 11: `city: "%"`
// matched every address because Prisma's `equals` with `mode: 'insensitive'` is an unescaped ILIKE).
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { containing, equalIgnoringCase } from '../../src/graphql/schema/connections.ts'

const SRC = join(import.meta.dirname, '../../src')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(path)
    return e.name.endsWith('.ts') ? [path] : []
  })
}

/** `file:line` of each line (comments left out) matching `pattern`. */
function uses(pattern: RegExp): string[] {
  return sources(SRC).flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '')
    return pattern.test(code) ? [`${relative(SRC, file)}:${i + 1}`] : []
  }))
}

describe('LIKE patterns built from input', () => {
  it('escape the wildcards and the escape character', () => {
    expect(containing('100%_a\\b')).toEqual({ contains: '100\\%\\_a\\\\b', mode: 'insensitive' })
    expect(equalIgnoringCase('%')).toEqual({ equals: '\\%', mode: 'insensitive' })
    expect(equalIgnoringCase('\\')).toEqual({ equals: '\\\\', mode: 'insensitive' })
    expect(equalIgnoringCase('Москва')).toEqual({ equals: 'Москва', mode: 'insensitive' })
  })

  it('are built only by the reviewed helpers: case-insensitive Prisma filters in connections.ts, raw LIKE in search.ts on escaped or digit-only values', () => {
    expect(uses(/mode:\s*['"]insensitive['"]/).map((u) => u.replace(/:\d+$/, ''))).toEqual(['graphql/schema/connections.ts', 'graphql/schema/connections.ts'])
    // search: a phone fragment (digits only), a serial fragment (escaped), MAC hex digits: reviewed in issue 11;
    // conditions: a rule's `matches` pattern, meant as a pattern and rewritten only where both dialects read it alike
    // (postgresPattern, test/engine/conditions.test.ts); runs: the constant 'flow/%' of flow-owned runs (issue 18);
    // unmerge: a constant regexp_replace on a row's own JSON (the md5 of a merge made before "importHash", issue 18)
    expect(uses(/\bI?LIKE\b|\bSIMILAR TO\b|~\*|\bregexp_|\s!?~\s/).map((u) => u.replace(/:\d+$/, '')).sort())
      .toEqual(['engine/conditions.ts', 'engine/runs.ts', 'merge/unmerge.ts', 'search/search.ts', 'search/search.ts', 'search/search.ts'])
  })
})
