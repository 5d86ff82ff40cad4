import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_RULES_DIR, interpolate, loadCatalog, validateRulesDir } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'

const TS_RULES = join(import.meta.dirname, '..', 'fixtures', 'ts-rules')

const SPEC_RULES = [
  'equipment-duplicate-serial', 'equipment-duplicate-mac', 'contract-overlap', 'contract-invalid-period',
  'equipment-on-inactive-contract', 'equipment-address-mismatch', 'equipment-without-contract', 'equipment-type-mismatch',
  'contract-missing-equipment', 'contract-product-not-in-market', 'contract-product-discontinued', 'address-duplicate',
  'customer-duplicate', 'address-incomplete',
]

const GOOD = `id: x
title: { ru: Икс, en: X }
severity: high
reads: [equipment]
kind: unique
params: { key: serial }
message: { ru: "{serial}", en: "{serial}" }
`

describe('the rule catalogue in rules/', () => {
  it('validates every file', async () => {
    const checks = await validateRulesDir(DEFAULT_RULES_DIR)
    expect(checks.filter((c) => !c.ok)).toEqual([])
    // routing.yaml and sla.yaml are the incidents module's configuration, not rules (test/incidents checks them)
    expect(checks.length).toBe(readdirSync(DEFAULT_RULES_DIR).filter((f) => /\.(ya?ml|ts)$/.test(f) && !/^(routing|sla)\.yaml$/.test(f)).length)
  })

  it('has the 14 SPEC rules, each with a test file and a README line', async () => {
    const catalog = await loadCatalog()
    const ids = catalog.rules.map((r) => r.id)
    expect([...ids].sort()).toEqual([...SPEC_RULES].sort())
    const readme = readFileSync(join(DEFAULT_RULES_DIR, 'README.md'), 'utf8')
    for (const id of ids) {
      expect(existsSync(join(import.meta.dirname, `${id}.test.ts`)), `test/rules/${id}.test.ts`).toBe(true)
      expect(readme, `README line for ${id}`).toMatch(new RegExp(`^- \`${id}\` — .+`, 'm'))
      const rule = catalog.get(id)!
      expect(rule.title.ru && rule.title.en && rule.message.ru && rule.message.en).toBeTruthy()
      expect(rule.routing?.line).toBeDefined()
    }
  })
})

describe('validateRulesDir', () => {
  const check = async (files: Record<string, string>) => validateRulesDir(writeFiles(tempDir('rules-'), files))

  it('names the file and the field', async () => {
    const [result] = await check({ 'x.yaml': GOOD.replace('key: serial', 'key: imei') })
    expect(result.ok).toBe(false)
    expect(result.errors).toEqual([expect.stringMatching(/x\.yaml: params\.key: ожидается одно из: serial, mac$/)])
  })

  it('reports missing and unknown fields, bad severities, kinds, and YAML syntax', async () => {
    const results = await check({
      'a.yaml': GOOD.replace('id: x', 'id: a').replace('severity: high', 'severity: urgent').replace(/title:.*\n/, '') + 'colour: red\n',
      'b.yaml': GOOD.replace('id: x', 'id: b').replace('kind: unique', 'kind: magic'),
      'c.yaml': 'id: c\ntitle: [unclosed\n',
      'd.yaml': GOOD.replace('id: x', 'id: d').replace('kind: unique', 'kind: predicate').replace('params: { key: serial }', 'params: { entity: address, any: [{ field: hous, op: missing }] }'),
    })
    const errors = Object.fromEntries(results.map((r) => [r.file.replace(/.*\//, ''), r.errors.join('\n')]))
    expect(errors['a.yaml']).toMatch(/a\.yaml: title: обязательное поле/)
    expect(errors['a.yaml']).toMatch(/a\.yaml: severity: ожидается одно из: CRITICAL, HIGH, MEDIUM, LOW/)
    expect(errors['a.yaml']).toMatch(/a\.yaml: colour: неизвестное поле/)
    expect(errors['b.yaml']).toMatch(/b\.yaml: kind: неизвестный вид «magic»; допустимо: unique, overlap/)
    expect(errors['c.yaml']).toMatch(/c\.yaml: строка \d+/)
    expect(errors['d.yaml']).toMatch(/d\.yaml: params\.any\.0\.field: у записи «address» нет поля «hous»/)
  })

  it('rejects a file name that is not the id, and one id in two files', async () => {
    const results = await check({ 'x.yaml': GOOD, 'y.yaml': GOOD, 'z.yml': GOOD })
    const errors = results.flatMap((r) => r.errors)
    expect(errors).toContainEqual(expect.stringMatching(/y\.yaml: id: «x» не совпадает с именем файла y\.yaml/))
    expect(results.find((r) => r.file.endsWith('x.yaml'))!.ok).toBe(true)
  })

  it('rejects one id in two files', async () => {
    const results = await check({ 'x.yaml': GOOD, 'x.yml': GOOD })
    expect(results.flatMap((r) => r.errors)).toContainEqual(expect.stringMatching(/x\.yml: id: «x» уже задан в .*x\.yaml/))
  })

  it('a file read before is read again once it changes; the same id in two files is said once on every load', async () => {
    const dir = writeFiles(tempDir('rules-'), { 'x.yaml': GOOD, 'x.yml': GOOD })
    for (let i = 0; i < 3; i++) {
      const errors = (await validateRulesDir(dir)).flatMap((r) => r.errors)
      expect(errors.filter((e) => /уже задан/.test(e))).toHaveLength(1)
    }
    const single = writeFiles(tempDir('rules-'), { 'x.yaml': GOOD })
    expect((await loadCatalog(single)).get('x')).toMatchObject({ severity: 'HIGH', title: { ru: 'Икс' } })
    // the same size, another severity and title: only the file's stamp can tell
    writeFiles(single, { 'x.yaml': GOOD.replace('severity: high', 'severity: low ').replace('ru: Икс', 'ru: Иск') })
    expect((await loadCatalog(single)).get('x')).toMatchObject({ severity: 'LOW', title: { ru: 'Иск' } })
    writeFiles(single, { 'x.yaml': GOOD.replace('key: serial', 'key: imei') })
    await expect(loadCatalog(single)).rejects.toThrow(/x\.yaml: params\.key/)
  })

  it('loadCatalog refuses a broken folder with an error naming file and field', async () => {
    const dir = writeFiles(tempDir('rules-'), { 'x.yaml': GOOD.replace('key: serial', 'key: imei') })
    await expect(loadCatalog(dir)).rejects.toThrow(/x\.yaml: params\.key: ожидается одно из: serial, mac/)
  })
})

describe('overrides', () => {
  it('disable, change severity, re-parameterise (merged and validated again); unknown rules are ignored', async () => {
    const catalog = await loadCatalog(undefined, [
      { ruleId: 'contract-overlap', enabled: false, severity: null, params: null },
      { ruleId: 'address-duplicate', enabled: null, severity: 'LOW', params: { streetEdits: 0 } },
      { ruleId: 'no-such-rule', enabled: false, severity: null, params: null },
    ])
    expect(catalog.get('contract-overlap')!.enabled).toBe(false)
    expect(catalog.get('address-duplicate')).toMatchObject({ severity: 'LOW', enabled: true, params: { entity: 'address', streetEdits: 0, minStreetLength: 5 } })
    expect(catalog.get('no-such-rule')).toBeUndefined()
    await expect(loadCatalog(undefined, [{ ruleId: 'equipment-duplicate-mac', enabled: null, severity: null, params: { key: 'imei' } }]))
      .rejects.toThrow(/equipment-duplicate-mac: params\.key: ожидается одно из: serial, mac/)
  })
})

describe('interpolate', () => {
  it('fills placeholders, shows null as a dash and leaves unknown ones', () => {
    expect(interpolate('{a} и {b.c} и {d} {x}', { a: 1, 'b.c': 'два', d: null })).toBe('1 и два и — {x}')
  })
})

describe('TypeScript rules', () => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase('pglite') })
  afterAll(async () => { await db?.close() })

  it('load through defineRule, both a custom detect and a built-in kind, and run', async () => {
    expect((await validateRulesDir(TS_RULES)).filter((r) => !r.ok)).toEqual([])
    const catalog = await loadCatalog(TS_RULES)
    expect(catalog.rules.map((r) => [r.id, r.kind])).toEqual([
      ['customer-without-phone', 'custom'], ['equipment-duplicate-mac-installed', 'unique'],
    ])
    const dir = writeFiles(tempDir('ts-rule-'), {
      'equipment_types.csv': csv(['code', 'name'], [['ROUTER', 'Роутер']]),
      'products.csv': csv(['sku', 'name', 'kind', 'equipment_type', 'markets', 'status'], [['RT', 'Роутер', 'EQUIPMENT', 'ROUTER', '', 'ACTIVE']]),
      'customers.csv': csv(['code', 'name', 'kind', 'phone'], [['C-1', 'Иванов Иван', 'PERSON', ''], ['C-2', 'ООО «Ромашка»', 'COMPANY', ''], ['C-3', 'Петров', 'PERSON', '+7 916 000-00-00']]),
      'equipment.csv': csv(['inventory_no', 'mac', 'product', 'status'], [['I1', '00:11:22:33:44:55', 'RT', 'INSTALLED'], ['I2', '001122334455', 'RT', 'IN_STOCK'], ['I3', '00-11-22-33-44-55', 'RT', 'INSTALLED']]),
    })
    await importDirectory(db, dir)
    const { findings } = await runDetection(db, catalog.rules, { asOf: '2026-01-31' })
    expect(findings.map((f) => [f.ruleId, f.entities.map((e) => e.key), f.message])).toEqual([
      ['customer-without-phone', ['C-1'], 'У клиента C-1 нет телефона'],
      ['customer-without-phone', ['C-2'], 'У клиента C-2 нет телефона'],
      ['equipment-duplicate-mac-installed', ['I1', 'I3'], 'MAC 00:11:22:33:44:55: I1, I3'],
    ])
    const persons = await loadCatalog(TS_RULES, [{ ruleId: 'customer-without-phone', enabled: null, severity: null, params: { kinds: ['PERSON'] } }])
    const again = await runDetection(db, persons.rules.filter((r) => r.id === 'customer-without-phone'), { asOf: '2026-01-31' })
    expect(again.findings.map((f) => f.entities[0].key)).toEqual(['C-1'])
  })

  it('a failing rule throws an error naming the rule', async () => {
    const catalog = await loadCatalog()
    const broken = { ...catalog.get('contract-overlap')!, kind: 'no-such-kind' }
    await expect(runDetection(db, [broken], { asOf: '2026-01-31' })).rejects.toThrow(/rule contract-overlap failed/)
  })
})
