// Conflicts around a record: the neighbourhood of each entity type (with and without a market scope) and
// the open findings naming any of it, with their incidents — on a small hand-made dataset whose findings
// are planted through the real reconcile, so which record and market each finding names is known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conflictsAround, incidentsOfFindings, neighbourhood } from '../../src/engine/conflicts.ts'
import { resolveFinding } from '../../src/engine/findings.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { reconcileFindings } from '../../src/engine/findings.ts'
import type { DetectedFinding, Severity } from '../../src/engine/types.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const ref = (type: EntityRef['type'], key: string): EntityRef => ({ type, key })
const sorted = (refs: EntityRef[]) => refs.map((r) => `${r.type}:${r.key}`).sort()

function files() {
  const f = baseFiles()
  // A-1 has an MSK contract (D-1) and an SPB one (D-3); INV-3 is installed at A-1 without a contract;
  // INV-4 sits on D-3 but is registered at A-2
  f['contracts.csv'] = csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
    ['D-1', 'C-1', 'A-1', 'NET-500', 'MSK', 'ACTIVE', '2024-01-01', ''],
    ['D-2', 'C-2', 'A-2', 'NET-500', 'SPB', 'TERMINATED', '2023-01-01', '2024-06-30'],
    ['D-3', 'C-2', 'A-1', 'NET-500', 'SPB', 'ACTIVE', '2024-01-01', ''],
  ])
  f['equipment.csv'] = csv(['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'], [
    ['INV-1', 'SN-1', '', 'RT-AX', 'A-1', 'D-1', 'INSTALLED', '2024-01-05', ''],
    ['INV-2', 'SN-2', '', 'RT-AX', '', '', 'IN_STOCK', '', ''],
    ['INV-3', 'SN-3', '', 'RT-AX', 'A-1', '', 'INSTALLED', '2024-01-05', ''],
    ['INV-4', 'SN-4', '', 'RT-AX', 'A-2', 'D-3', 'INSTALLED', '2024-01-05', ''],
  ])
  return f
}

const planted: Array<{ name: string; rule: string; severity: Severity; entity: EntityRef; market: string | null }> = [
  { name: 'f1', rule: 'r-contract', severity: 'HIGH', entity: ref('contract', 'D-1'), market: 'MSK' },
  { name: 'f2', rule: 'r-device', severity: 'CRITICAL', entity: ref('equipment', 'INV-4'), market: 'SPB' },
  { name: 'f3', rule: 'r-address', severity: 'LOW', entity: ref('address', 'A-1'), market: null },
  { name: 'f4', rule: 'r-customer', severity: 'MEDIUM', entity: ref('customer', 'C-2'), market: 'SPB' },
  { name: 'f5', rule: 'r-address', severity: 'LOW', entity: ref('address', 'A-2'), market: 'SPB' },
  { name: 'f6', rule: 'r-device', severity: 'CRITICAL', entity: ref('equipment', 'INV-2'), market: null },
]
const fp = Object.fromEntries(planted.map((p) => [p.name, fingerprint(p.rule, [p.entity])]))
const names = (findings: Array<{ fingerprint: string }>) => findings.map((f) => Object.keys(fp).find((k) => fp[k] === f.fingerprint) ?? f.fingerprint)

describe.each(backends)('conflicts around a record on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = writeFiles(tempDir('sverka-conflicts-'), files())
    await importDirectory(db, dir)
    const run = await db.prisma.auditRun.create({ data: { trigger: 'CLI', actor: 'test', rules: [], asOf: new Date('2026-01-31') } })
    const detected: DetectedFinding[] = planted.map((p) => ({
      ruleId: p.rule, entities: [p.entity], message: `${p.name}`, data: {}, details: {}, marketCode: p.market, equipmentTypeCode: null,
    }))
    const rules = [...new Map(planted.map((p) => [p.rule, { id: p.rule, severity: p.severity }])).values()]
    // one severity per rule: the reconcile takes the rule's; plant each finding's own afterwards
    await reconcileFindings(db.sql, { id: run.id, actor: 'test' }, { rules }, detected)
    for (const p of planted) await db.sql.query(`UPDATE finding SET severity = $2::"Severity" WHERE fingerprint = $1`, [fp[p.name], p.severity])
    await resolveFinding(db, fp.f5, { actor: 'test', comment: 'fixed by hand' })
    const [incident, complaint] = await Promise.all(['INCIDENT', 'COMPLAINT'].map((kind, i) => db.prisma.incident.create({
      data: { kind: kind as 'INCIDENT', channel: 'PHONE', externalRef: `INC-${i}`, description: 'нет интернета', createdBy: 'test', createdAt: new Date(Date.UTC(2026, 0, 1 + i)) },
    })))
    const f1 = await db.prisma.finding.findUniqueOrThrow({ where: { fingerprint: fp.f1 } })
    await db.prisma.findingIncident.createMany({
      data: [incident, complaint].map((x) => ({ findingId: f1.id, incidentId: x.id, origin: 'AUTO', actor: 'test' })),
    })
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('finds the neighbourhood of each entity type', async () => {
    const around = async (subject: EntityRef, markets: string[] | null = null) => {
      const n = await neighbourhood(db.sql, subject, markets)
      return n && { subject: n.subject, neighbours: sorted(n.neighbours) }
    }
    expect(await around(ref('address', 'A-1'))).toEqual({
      subject: ref('address', 'A-1'),
      neighbours: ['contract:D-1', 'contract:D-3', 'customer:C-1', 'customer:C-2', 'equipment:INV-1', 'equipment:INV-3', 'equipment:INV-4'],
    })
    expect(await around(ref('contract', 'D-1'))).toEqual({ subject: ref('contract', 'D-1'), neighbours: ['address:A-1', 'customer:C-1', 'equipment:INV-1'] })
    expect(await around(ref('equipment', 'INV-4'))).toEqual({ subject: ref('equipment', 'INV-4'), neighbours: ['address:A-2', 'contract:D-3'] })
    expect(await around(ref('equipment', 'INV-2'))).toEqual({ subject: ref('equipment', 'INV-2'), neighbours: [] })
    expect(await around(ref('customer', 'C-2'))).toEqual({
      subject: ref('customer', 'C-2'), neighbours: ['address:A-1', 'address:A-2', 'contract:D-2', 'contract:D-3', 'equipment:INV-4'],
    })
    expect(await around(ref('product', 'NET-500'))).toEqual({ subject: ref('product', 'NET-500'), neighbours: [] })
    expect(await around(ref('address', 'A-404'))).toBeNull()
  })

  it('keeps a market-scoped caller within its markets: no neighbour of another market, no subject outside them', async () => {
    const msk = await neighbourhood(db.sql, ref('address', 'A-1'), ['MSK'])
    expect(sorted(msk!.neighbours)).toEqual(['contract:D-1', 'customer:C-1', 'equipment:INV-1', 'equipment:INV-3'])
    const spb = await neighbourhood(db.sql, ref('address', 'A-1'), ['SPB'])
    expect(sorted(spb!.neighbours)).toEqual(['contract:D-3', 'customer:C-2', 'equipment:INV-3', 'equipment:INV-4'])
    expect(await neighbourhood(db.sql, ref('customer', 'C-2'), ['MSK'])).toBeNull()
    expect(await neighbourhood(db.sql, ref('contract', 'D-3'), ['MSK'])).toBeNull()
    expect(await neighbourhood(db.sql, ref('equipment', 'INV-4'), ['MSK'])).toBeNull()
    // a device is visible through its contract's market, its address through a contract there (D-2)
    expect(sorted((await neighbourhood(db.sql, ref('equipment', 'INV-4'), ['SPB']))!.neighbours)).toEqual(['address:A-2', 'contract:D-3'])
    expect(await neighbourhood(db.sql, ref('market', 'MSK'), ['SPB'])).toBeNull()
  })

  it('answers the open findings around a record, most severe first, in the caller\'s markets, with incidents', async () => {
    const all = await conflictsAround(db.sql, ref('address', 'A-1'), null)
    expect(names(all!.findings)).toEqual(['f2', 'f1', 'f4', 'f3'])
    expect(all!.findings.map((f) => f.severity)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])
    const f1 = all!.findings[1]
    expect(f1).toMatchObject({ ruleId: 'r-contract', status: 'NEW', marketCode: 'MSK', entities: [ref('contract', 'D-1')] })
    expect(f1.firstSeenAt).toBeInstanceOf(Date)
    expect(f1.linkedIncidents.map((i) => [i.kind, i.channel, i.externalRef, i.origin])).toEqual([['INCIDENT', 'PHONE', 'INC-0', 'AUTO'], ['COMPLAINT', 'PHONE', 'INC-1', 'AUTO']])
    expect(f1.linkedIncidents[0].createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z')
    expect(all!.findings[0].linkedIncidents).toEqual([])

    // a market-less finding (f3) is for unscoped callers only; SPB's f2 and f4 are not MSK's
    expect(names((await conflictsAround(db.sql, ref('address', 'A-1'), ['MSK']))!.findings)).toEqual(['f1'])
    expect(names((await conflictsAround(db.sql, ref('address', 'A-1'), ['SPB']))!.findings)).toEqual(['f2', 'f4'])
    // a resolved finding (f5 on A-2) is not a conflict
    expect(names((await conflictsAround(db.sql, ref('equipment', 'INV-4'), null))!.findings)).toEqual(['f2'])
    expect(names((await conflictsAround(db.sql, ref('customer', 'C-2'), null))!.findings)).toEqual(['f2', 'f4', 'f3'])
    expect(names((await conflictsAround(db.sql, ref('contract', 'D-1'), null))!.findings)).toEqual(['f1', 'f3'])
    expect(await conflictsAround(db.sql, ref('contract', 'D-3'), ['MSK'])).toBeNull()
  })

  it('loads the incidents of many findings in one go', async () => {
    const ids = (await db.prisma.finding.findMany({ where: { fingerprint: { in: [fp.f1, fp.f2] } }, orderBy: { severity: 'asc' } })).map((f) => f.id)
    const byFinding = await incidentsOfFindings(db.sql, ids, null)
    expect(byFinding.get(ids[0])).toEqual([])
    expect(byFinding.get(ids[1])!.map((i) => i.kind)).toEqual(['INCIDENT', 'COMPLAINT'])
    expect((await incidentsOfFindings(db.sql, [], null)).size).toBe(0)
  })
})
