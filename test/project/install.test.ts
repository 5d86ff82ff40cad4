// `npm ci` stays quiet on the Node the README promises (20.19+): every installed package's `engines.node`
// admits it, the overrides that make it so stay, and peers are not auto-installed (.npmrc). `.ci/run`
// checks the real `npm ci` output for EBADENGINE and ERESOLVE; this test keeps the lock file honest fast.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
// semver comes with npm's own tree (bullmq, autocannon); it is what npm uses to read `engines`
const semver = createRequire(join(root, 'package.json'))('semver') as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null }

interface LockPackage { version?: string; engines?: { node?: string } | string[] }
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }

describe('npm ci on the promised Node', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version

  it(`every package in package-lock.json runs on Node ${oldest} and on this Node (${process.version})`, () => {
    expect(oldest).toBe('20.19.0')
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => {
        const range = (p.engines as { node: string }).node
        return !semver.satisfies(oldest, range) || !semver.satisfies(process.version, range)
      })
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} wants node ${(p.engines as { node: string }).node}`)
    expect(refusing).toEqual([])
  })

  it('peers are not auto-installed (the GraphiQL bundle declares React peers that cannot all hold)', () => {
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).toMatch(/^legacy-peer-deps=true$/m)
  })
})
