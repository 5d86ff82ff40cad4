// `sverka audit --format csv`: a `,` file that ru-RU Excel splits on `;`. Keys and messages from the data
// read back neutralised with `,`, and no reader sees a formula in it, whatever it splits on.
import { describe, expect, it } from 'vitest'
import type { AuditResult } from '../../src/engine/audit.ts'
import { renderReport } from '../../src/engine/report.ts'
import { neutralise } from '../../src/csv.ts'
import { expectNoFormulaCells, FORMULA_START, PAYLOADS, readAsSpreadsheet, readCsv } from '../helpers/exports.ts'

const result: AuditResult = {
  run: {
    id: '00000000-0000-0000-0000-000000000001', asOf: '2026-01-31', startedAt: '2026-01-31T02:00:00.000Z', finishedAt: '2026-01-31T02:00:01.000Z',
    rules: ['equipment-duplicate-serial'], counts: { new: PAYLOADS.length, open: PAYLOADS.length, resolved: 0, reopened: 0 },
  },
  // each payload as the key of a record (the second of the pair) and as the whole message
  findings: PAYLOADS.map((p, i) => ({
    fingerprint: i.toString(16).padStart(32, '0'), ruleId: 'equipment-duplicate-serial', severity: 'HIGH', status: 'NEW',
    message: p.text, entities: [{ type: 'equipment', key: `INV-${i}` }, { type: 'equipment', key: p.text }], details: {},
  })),
}

describe('audit report as CSV', () => {
  const csv = renderReport(result, 'csv')

  it('keeps its format: UTF-8 BOM, `,`, CRLF, the columns of before', () => {
    expect(csv.startsWith('\uFEFFfingerprint,rule,severity,status,entities,message\r\n')).toBe(true)
    expect(csv.endsWith('\r\n')).toBe(true)
  })

  it('reads back with `,` cell by cell as the neutralised text: the message as the payload table says', () => {
    const read = readCsv(csv, ',')
    expect(read).toHaveLength(1 + PAYLOADS.length)
    PAYLOADS.forEach((p, i) => {
      expect(read[i + 1], p.name).toEqual([
        i.toString(16).padStart(32, '0'), 'equipment-duplicate-serial', 'high', 'NEW', neutralise(`equipment:INV-${i};equipment:${p.text}`), p.neutralised,
      ])
    })
    // the attack as reported: the key's `;=cmd` would have been a cell of its own in ru-RU Excel
    const attack = PAYLOADS.findIndex((p) => p.text.startsWith('Z;='))
    expect(read[attack + 1][4]).toBe(`equipment:INV-${attack};equipment:Z;'=cmd|'/C calc'!A0;`)
  })

  it('shows no formula when read with `;` (ru-RU Excel), nor to any other reader', () => {
    const cells = readAsSpreadsheet(csv, ';').flat()
    expect(cells.some((c) => c.includes("'=cmd|"))).toBe(true)
    for (const cell of cells) expect(cell).not.toMatch(FORMULA_START)
    expectNoFormulaCells(csv)
  })
})
