// RuleTester in the manner of ESLint's: `valid` fixtures give no finding, `invalid` ones give exactly the
// findings listed (rule id, entities, message data). Fixtures are import-format rows written as CSV and
// imported, so normalisation happens exactly as in production; one embedded database per test file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory } from '../../src/import/importer.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import type { DetectedFinding, RuleMeta } from '../../src/engine/types.ts'
import { columnsOf, MASTER_TABLES, RECORDS } from '../../src/records/model.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'

type Rows = Array<Record<string, string | null | undefined>>

export interface Fixture {
  markets?: Rows
  equipment_types?: Rows
  products?: Rows
  customers?: Rows
  addresses?: Rows
  contracts?: Rows
  equipment?: Rows
}

export interface ValidCase {
  name: string
  data: Fixture
  /** default 2026-01-31 */
  asOf?: string
  market?: string
}

export interface ExpectedFinding {
  /** business keys of the subjects, in any order */
  entities: string[]
  data?: DetectedFinding['data']
  marketCode?: string | null
  equipmentTypeCode?: string | null
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[]
}

/** Each fixture table's import file header: the record model's columns. */
const HEADERS = Object.fromEntries(RECORDS.map((spec) => [spec.file.replace(/\.csv$/, ''), columnsOf(spec).map((c) => c.csv)])) as Record<keyof Fixture, string[]>

/** Defaults for the columns a case leaves out, so a case writes only what it is about. */
const DEFAULTS: { [K in keyof Fixture]: Record<string, string> } = {
  markets: {},
  equipment_types: {},
  products: { kind: 'SERVICE', markets: 'MSK;SPB', status: 'ACTIVE' },
  customers: { name: 'Петров Пётр Петрович', kind: 'PERSON' },
  addresses: {},
  contracts: { customer: 'C-1', address: 'A-1', product: 'NET', market: 'MSK', status: 'ACTIVE', valid_from: '2024-01-01' },
  equipment: { product: 'RT', status: 'INSTALLED' },
}

/** A small consistent world every case starts from; a case's rows with the same key replace these. */
export const BASE: Fixture = {
  markets: [{ code: 'MSK', name: 'Москва' }, { code: 'SPB', name: 'Санкт-Петербург' }],
  equipment_types: [{ code: 'ROUTER', name: 'Роутер' }, { code: 'STB', name: 'ТВ-приставка' }],
  products: [
    { sku: 'NET', name: 'Интернет', equipment_type: 'ROUTER' },
    { sku: 'TV', name: 'Цифровое ТВ', equipment_type: 'STB', markets: 'MSK' },
    { sku: 'PHONE', name: 'Телефония' },
    { sku: 'RT', name: 'Роутер AX', kind: 'EQUIPMENT', equipment_type: 'ROUTER' },
    { sku: 'BOX', name: 'Приставка', kind: 'EQUIPMENT', equipment_type: 'STB' },
  ],
  customers: [{ code: 'C-1', name: 'Иванов Иван Иванович', phone: '+7 916 000-00-01' }],
  addresses: [{ code: 'A-1', text: 'г. Москва, ул. Ленина, д. 5, кв. 12', postal_code: '125009' }],
}

function files(fixture: Fixture): Record<string, string> {
  const out: Record<string, string> = {}
  for (const table of Object.keys(HEADERS) as Array<keyof Fixture>) {
    const header = HEADERS[table]
    const byKey = new Map<string, Record<string, string | null | undefined>>()
    for (const row of [...(BASE[table] ?? []), ...(fixture[table] ?? [])]) byKey.set(String(row[header[0]]), { ...DEFAULTS[table], ...row })
    if (byKey.size === 0) continue
    out[`${table}.csv`] = csv(header, [...byKey.values()].map((r) => header.map((h) => r[h] ?? '')))
  }
  return out
}

/** Every master-data table, link tables included: emptied before each case. */
const TRUNCATED = MASTER_TABLES.map((t) => `"${t}"`).join(', ')

/** Loads one fixture into a clean database and runs one rule on it. */
export async function runRule(db: TestDatabase, rule: RuleMeta, c: ValidCase): Promise<DetectedFinding[]> {
  await db.sql.exec(`TRUNCATE ${TRUNCATED} RESTART IDENTITY CASCADE`)
  const summary = await importDirectory(db, writeFiles(tempDir('rule-'), files(c.data)))
  if (summary.rejected > 0 || summary.files.some((f) => f.error)) throw new Error(`fixture rows rejected: ${JSON.stringify(summary.files)}`)
  const { findings } = await runDetection(db, [{ ...rule, enabled: true }], { asOf: c.asOf ?? '2026-01-31', market: c.market })
  return findings
}

export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }) {
  describe(ruleId, () => {
    let db: TestDatabase
    let rule: RuleMeta
    beforeAll(async () => {
      db = await testDatabase('pglite')
      const found = (await loadCatalog()).get(ruleId)
      if (!found) throw new Error(`no rule ${ruleId} in rules/`)
      rule = found
    })
    afterAll(async () => { await db?.close() })

    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, async () => {
          expect(await runRule(db, rule, c)).toEqual([])
        })
      }
    })
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, async () => {
          const findings = await runRule(db, rule, c)
          const keyOf = (keys: string[]) => [...keys].sort().join(' ')
          const expected = [...c.findings]
            .sort((a, b) => (keyOf(a.entities) < keyOf(b.entities) ? -1 : 1))
            .map((w) => ({ ruleId, ...w, entities: [...w.entities].sort() }))
          const actual = findings.map((f, i) => {
            const want = expected[i] as ExpectedFinding | undefined
            return {
              ruleId: f.ruleId,
              entities: f.entities.map((e) => e.key),
              ...(want?.data !== undefined ? { data: f.data } : {}),
              ...(want && 'marketCode' in want ? { marketCode: f.marketCode } : {}),
              ...(want && 'equipmentTypeCode' in want ? { equipmentTypeCode: f.equipmentTypeCode } : {}),
            }
          })
          expect(actual).toEqual(expected)
          for (const f of findings) expect(f.message).not.toMatch(/\{[a-zA-Z.]+\}/)
        })
      }
    })
  })
}
