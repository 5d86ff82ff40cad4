// docker-compose.yml is for users (no Docker here): read it and hold the properties that make
// `docker compose up` work twice in a row — one installer, ordered starts, healthchecks, pinned images,
// no host port that a local PostgreSQL or Redis already holds, every setting documented.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = resolve(import.meta.dirname, '../..')
const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

interface Service {
  image?: string
  command?: string[] | string
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string>
  healthcheck?: { test?: string[] | string; disable?: boolean }
  depends_on?: Record<string, { condition: string }> | string[]
}
// compose reads YAML merge keys (<<: *sverka)
const compose = parse(text, { merge: true }) as { services: Record<string, Service> }
const services = Object.entries(compose.services)
const ONE_SHOT = 'install'
const commandOf = (s: Service) => (Array.isArray(s.command) ? s.command.join(' ') : s.command ?? '')

describe('docker-compose.yml', () => {
  it('has the services a user starts', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['install', 'mail', 'postgres', 'redis', 'serve', 'worker'])
  })

  it('pins every image to a version (no latest, no bare major)', () => {
    for (const [name, s] of services) {
      expect(s.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+[\w.-]*$/)
      expect(s.image, name).not.toMatch(/:latest$/)
    }
  })

  it('installs once, in the one-shot `install`; the others wait for it to succeed', () => {
    expect(commandOf(compose.services[ONE_SHOT])).toMatch(/^npm ci\b/)
    for (const [name, s] of services) {
      if (name === ONE_SHOT) continue
      expect(commandOf(s), name).not.toMatch(/\bnpm\b|package-lock|until \[/)
      if (s.volumes?.some((v) => v.startsWith('node_modules:'))) {
        expect((s.depends_on as Record<string, { condition: string }>)?.[ONE_SHOT]?.condition, name).toBe('service_completed_successfully')
      }
    }
  })

  it('has a healthcheck on every long-running service, and waits on health, never on a mere start', () => {
    for (const [name, s] of services) {
      if (name === ONE_SHOT) continue
      expect(s.healthcheck?.test, name).toBeTruthy()
      expect(s.healthcheck?.disable, name).toBeFalsy()
    }
    expect(JSON.stringify(compose.services.serve.healthcheck!.test)).toContain('/health')
    for (const [name, s] of services) {
      if (!s.depends_on) continue
      expect(Array.isArray(s.depends_on), `${name}: depends_on with conditions`).toBe(false)
      for (const [dependency, { condition }] of Object.entries(s.depends_on as Record<string, { condition: string }>)) {
        expect(compose.services[dependency], `${name} → ${dependency}`).toBeDefined()
        if (dependency === ONE_SHOT) expect(condition).toBe('service_completed_successfully')
        else {
          expect(condition, `${name} → ${dependency}`).toBe('service_healthy')
          expect(compose.services[dependency].healthcheck, dependency).toBeDefined()
        }
      }
    }
    expect(Object.keys(compose.services.worker.depends_on as object)).toContain('serve')
  })

  it('publishes no host port a local PostgreSQL or Redis holds by default; every host port can be changed', () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, p })))
    expect(published.length).toBeGreaterThan(0)
    for (const { name, p } of published) {
      // [ip:]${VAR:-default}:container
      const m = /^(?:(\d+\.\d+\.\d+\.\d+):)?\$\{(\w+):-(\d+)\}:(\d+)$/.exec(p)
      expect(m, `${name}: ${p}`).not.toBeNull()
      expect(['5432', '6379']).not.toContain(m![3])
    }
    // what only this machine should reach is bound to loopback
    for (const name of ['postgres', 'redis']) expect(compose.services[name].ports!.every((p) => p.startsWith('127.0.0.1:')), name).toBe(true)
  })

  it('documents its settings in README: every ${VAR}, HOST, and how to run the tests against it', () => {
    const variables = [...new Set([...text.matchAll(/\$\{(\w+):-/g)].map((m) => m[1]))]
    expect(variables.length).toBeGreaterThan(3)
    for (const v of [...variables, 'HOST']) expect(readme, v).toContain(`\`${v}\``)
    expect(readme).toMatch(/SVERKA_TEST_PG_URL=postgresql:\/\/postgres@127\.0\.0\.1:55432\/postgres/)
  })
})
