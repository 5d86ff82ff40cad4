// `sverka audit` and `sverka rules` as a user runs them: real processes on a real embedded data directory.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { NOT_A_RULE } from '../../src/engine/catalog.ts'
import { oneLine, sverkaIn } from '../helpers/cli.ts'
import { baseFiles, tempDir, writeFiles } from '../helpers/csv.ts'
import { expectNoFormulaCells, FORMULA_START, readAsSpreadsheet, readCsv } from '../helpers/exports.ts'

const dataDir = tempDir('sverka-cli-audit-')
const asOf = '2026-01-31'

const sverka = sverkaIn(dataDir, 'warn')

interface Report {
  run: { id: string; asOf: string; startedAt: string; finishedAt: string; rules: string[]; counts: Record<string, number> }
  findings: Array<{ fingerprint: string; ruleId: string; severity: string; status: string; message: string; entities: Array<{ type: string; key: string }>; details: object }>
}

const SERIAL_DUPLICATE = [{ type: 'equipment', key: 'INV-1' }, { type: 'equipment', key: 'INV-3' }]
const ATTACK = "Z;=cmd|'/C calc'!A0;"

// each command is a process that opens the embedded database: seconds apiece on a busy machine
describe('sverka audit and sverka rules (embedded database)', { timeout: 300_000 }, () => {
  beforeAll(() => {
    const files = baseFiles()
    // INV-3 repeats INV-1's serial in another notation: one equipment-duplicate-serial finding
    files['equipment.csv'] += 'INV-3,SN-4F2A-9931,,RT-AX,,,IN_STOCK,,\n'
    // and a pair whose key is the reported attack on spreadsheets: a formula after a `;`
    files['equipment.csv'] += `INV-4,SN-ATTACK-1,,RT-AX,,,IN_STOCK,,\n"${ATTACK}",SN-ATTACK-1,,RT-AX,,,IN_STOCK,,\n`
    const imported = sverka('import', writeFiles(tempDir(), files))
    expect(imported.code, imported.stderr).toBe(0)
  }, 300_000)

  it('prints the JSON report of the SPEC; a second audit finds the same collision again, not a new one', () => {
    const first = sverka('audit', '--format', 'json', '--as-of', asOf)
    expect(first.code, first.stderr).toBe(0)
    const report = JSON.parse(first.stdout) as Report
    expect(Object.keys(report)).toEqual(['run', 'findings'])
    expect(Object.keys(report.run)).toEqual(['id', 'asOf', 'startedAt', 'finishedAt', 'rules', 'counts'])
    expect(report.run.asOf).toBe(asOf)
    expect(report.run.rules).toContain('equipment-duplicate-serial')
    expect(report.run.counts.open).toBe(report.findings.length)
    const duplicate = report.findings.find((f) => f.ruleId === 'equipment-duplicate-serial')!
    expect(duplicate).toMatchObject({ severity: 'high', status: 'NEW', entities: SERIAL_DUPLICATE })
    expect(Object.keys(duplicate)).toEqual(['fingerprint', 'ruleId', 'severity', 'status', 'message', 'entities', 'details'])

    const second = JSON.parse(sverka('audit', '--format', 'json', '--as-of', asOf).stdout) as Report
    expect(second.run.counts).toMatchObject({ new: 0, resolved: 0, open: report.run.counts.open })
    expect(second.findings.find((f) => f.fingerprint === duplicate.fingerprint)?.status).toBe('OPEN')
  })

  it('writes a CSV for Excel (UTF-8 with BOM) and a table for people', () => {
    const out = join(tempDir(), 'report.csv')
    const written = sverka('audit', '--format', 'csv', '--out', out, '--as-of', asOf)
    expect(written.code, written.stderr).toBe(0)
    expect(written.stdout).toMatch(/^отчёт записан в .*report\.csv: новых \d+ · открытых \d+ · устранено \d+ · переоткрыто \d+$/m)
    const bytes = readFileSync(out)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n')
    expect(lines[0]).toBe('fingerprint,rule,severity,status,entities,message')
    // the entities cell holds a `;`: quoted, so Excel splitting on `;` (ru-RU) keeps it whole
    expect(lines.find((l) => l.includes(',equipment-duplicate-serial,'))).toMatch(/^[0-9a-f]{32},equipment-duplicate-serial,high,OPEN,"equipment:INV-1;equipment:INV-3",.*SN4F2A9931/)
    // the key that smuggles a cell in after its `;`: neutralised, and no formula for Excel splitting on `;`
    const attack = readCsv(bytes, ',').find((r) => r[4]?.includes('INV-4'))!
    expect(attack[4]).toBe("equipment:INV-4;equipment:Z;'=cmd|'/C calc'!A0;")
    for (const cell of readAsSpreadsheet(bytes, ';').flat()) expect(cell).not.toMatch(FORMULA_START)
    expectNoFormulaCells(bytes)

    const table = sverka('audit', '--as-of', asOf)
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/^Аудит [0-9a-f-]{36} на 2026-01-31/)
    expect(table.stdout).toMatch(/новых 0 · открытых \d+ · устранено 0 · переоткрыто 0/)
    expect(table.stdout).toMatch(/^ВЫСОКАЯ \(\d+\)$/m)
    expect(table.stdout).toMatch(/открыто\s+equipment-duplicate-serial\s+equipment:INV-1, equipment:INV-3/)
  })

  it('--fail-on: exit 1 when open findings at or above the severity exist, 0 otherwise', () => {
    const high = sverka('audit', '--format', 'json', '--as-of', asOf, '--fail-on', 'high')
    expect(high.code).toBe(1)
    expect(JSON.parse(high.stdout)).toHaveProperty('findings') // the report is still printed
    expect(oneLine(high.stderr)).toMatch(/^sverka: открытых находок важности HIGH и выше: [1-9]\d*$/)
    const critical = sverka('audit', '--as-of', asOf, '--fail-on', 'CRITICAL', '--rules', 'equipment-duplicate-serial')
    expect(critical.code, critical.stderr).toBe(0)
  })

  it('bad input ends with one clear line and exit code 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--as-of', '2026-02-30'], /--as-of: нужна дата в виде YYYY-MM-DD, получено «2026-02-30»/],
      [['--format', 'xml'], /неизвестный формат «xml» \(допустимы: table, json, csv\)/],
      [['--fail-on', 'urgent'], /неизвестная важность «urgent» для --fail-on \(допустимы: CRITICAL, HIGH, MEDIUM, LOW\)/],
      [['--rules', 'no-such-rule,equipment-duplicate-serial'], /нет такого правила: «no-such-rule» \(есть: address-duplicate, /],
      [['--market', 'XXX'], /нет рынка «XXX» \(есть: MSK, SPB\)/],
      [['--out', join(dataDir, 'no-such-dir', 'r.json')], /--out: каталога .*no-such-dir нет/],
    ]
    for (const [args, message] of cases) {
      const r = sverka('audit', ...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
      expect(r.stdout).toBe('')
    }
  })

  it('lists the catalogue, and switches a rule off and on without touching rule files', () => {
    const list = sverka('rules')
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^правило\s+важность\s+вид\s+включено\s+название/)
    expect(list.stdout).toMatch(/equipment-duplicate-serial\s+HIGH\s+unique\s+да\s+\S/)
    expect(list.stdout.trim().split('\n')).toHaveLength(1 + readdirSync('rules').filter((f) => /\.(ya?ml|ts)$/.test(f) && !NOT_A_RULE.test(f)).length)

    expect(sverka('rules', 'disable', 'equipment-duplicate-serial').stdout).toMatch(/equipment-duplicate-serial: выключено/)
    expect(sverka('rules').stdout).toMatch(/equipment-duplicate-serial\s+HIGH\s+unique\s+нет\s+.*\(изменено: включение\)/)
    const refused = sverka('audit', '--rules', 'equipment-duplicate-serial')
    expect(refused.code).toBe(2)
    expect(oneLine(refused.stderr)).toMatch(/правило выключено: «equipment-duplicate-serial» \(включить: sverka rules enable equipment-duplicate-serial\)/)
    const set = sverka('rules', 'set', 'equipment-duplicate-serial', '--severity', 'low')
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toMatch(/выключено, важность LOW/)
    const badParams = sverka('rules', 'set', 'equipment-duplicate-serial', '--params', '{"key": 5}')
    expect(badParams.code).toBe(2)
    expect(oneLine(badParams.stderr)).toMatch(/params\.key/)
    expect(oneLine(sverka('rules', 'set', 'equipment-duplicate-serial', '--params', '{nope').stderr)).toMatch(/--params: не объект JSON: /)
    expect(oneLine(sverka('rules', 'disable', 'no-such-rule').stderr)).toMatch(/нет правила «no-such-rule» \(есть: /)
    expect(sverka('rules', 'enable', 'equipment-duplicate-serial').stdout).toMatch(/включено, важность LOW/)
    expect(sverka('rules', 'reset', 'equipment-duplicate-serial').stdout).toMatch(/изменения сброшены; включено, важность HIGH/)
  })

  it('rules --validate: exit 0 for a valid folder, 2 with one line per error naming file and field otherwise', () => {
    const valid = sverka('rules', '--validate', 'rules')
    expect(valid.code, valid.stderr).toBe(0)
    expect(valid.stdout).toMatch(/^файлов правил: \d+, ошибок нет$/m)

    const broken = tempDir('sverka-rules-')
    writeFileSync(join(broken, 'equipment-duplicate-serial.yaml'), readFileSync('rules/equipment-duplicate-serial.yaml', 'utf8').replace('severity: HIGH', 'severity: urgent'))
    writeFileSync(join(broken, 'contract-invalid-period.yaml'), readFileSync('rules/contract-invalid-period.yaml', 'utf8'))
    writeFileSync(join(broken, 'half-done.yaml'), 'id: half-done\nkind: unique\n')
    const r = sverka('rules', '--validate', broken)
    expect(r.code).toBe(2)
    const errors = r.stderr.trim().split('\n')
    expect(errors).toContainEqual(expect.stringMatching(/equipment-duplicate-serial\.yaml: severity: /))
    expect(errors).toContainEqual(expect.stringMatching(/half-done\.yaml: title: /))
    expect(errors.every((l) => /(equipment-duplicate-serial|half-done)\.yaml: [\w.]+: /.test(l))).toBe(true)
    expect(r.stdout).toMatch(/^файлов правил с ошибками: 2 из 3$/m)

    const missing = sverka('rules', '--validate', join(broken, 'nope'))
    expect(missing.code).toBe(2)
    oneLine(missing.stderr)
  })
})
