// Severity is upper case like every other enum; the lower-case spelling of the SPEC (rule files, overrides
// stored before the change) is still read, and the SPEC's JSON report keeps it.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCatalog, validateRulesDir } from '../../src/engine/catalog.ts'
import { listOverrides } from '../../src/engine/overrides.ts'
import { parseSeverity, reportSeverity, SEVERITIES } from '../../src/engine/types.ts'
import { tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const MIGRATION = 'prisma/migrations/20261205120000_severity_upper_case/migration.sql'

const rule = (id: string, severity: string) => `id: ${id}
title: { ru: Икс, en: X }
severity: ${severity}
reads: [equipment]
kind: unique
params: { key: serial }
message: { ru: "{serial}", en: "{serial}" }
`

describe('severity spelling', () => {
  it('is read in any case, shown upper case, reported lower case', () => {
    expect(SEVERITIES).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])
    expect(['high', 'HIGH', ' High '].map(parseSeverity)).toEqual(['HIGH', 'HIGH', 'HIGH'])
    expect(parseSeverity('urgent')).toBeNull()
    expect(reportSeverity('CRITICAL')).toBe('critical')
  })

  it('rule files may say «high» (the SPEC) or «HIGH»; the rule then has HIGH', async () => {
    const dir = writeFiles(tempDir('rules-'), { 'a.yaml': rule('a', 'high'), 'b.yaml': rule('b', 'HIGH'), 'c.yaml': rule('c', 'Low') })
    expect((await validateRulesDir(dir)).filter((c) => !c.ok)).toEqual([])
    expect((await loadCatalog(dir)).rules.map((r) => [r.id, r.severity])).toEqual([['a', 'HIGH'], ['b', 'HIGH'], ['c', 'LOW']])
  })

  it('an override in the old spelling is applied', async () => {
    const catalog = await loadCatalog(undefined, [{ ruleId: 'address-duplicate', enabled: null, severity: 'low' as never, params: null }])
    expect(catalog.get('address-duplicate')!.severity).toBe('LOW')
  })
})

describe.each(backends)('the severity migration on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('rewrites stored values to upper case and keeps the order (most severe first)', async () => {
    // the enum as it was before the migration, with an override stored then
    for (const s of SEVERITIES) await db.sql.exec(`ALTER TYPE "Severity" RENAME VALUE '${s}' TO '${s.toLowerCase()}'`)
    await db.sql.query(`INSERT INTO rule_override ("ruleId", enabled, severity, "updatedBy", "updatedAt") VALUES ('contract-overlap', NULL, 'medium', 'old', now())`)
    expect((await listOverrides(db)).find((o) => o.ruleId === 'contract-overlap')!.severity).toBe('MEDIUM')
    await db.sql.exec(readFileSync(MIGRATION, 'utf8'))
    const { rows } = await db.sql.query<{ v: string }>(`SELECT unnest(enum_range(NULL::"Severity"))::text AS v`)
    expect(rows.map((r) => r.v)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])
    const stored = await db.sql.query<{ severity: string }>(`SELECT severity::text AS severity FROM rule_override WHERE "ruleId" = 'contract-overlap'`)
    expect(stored.rows).toEqual([{ severity: 'MEDIUM' }])
  })
})
