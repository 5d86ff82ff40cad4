// Escalation across a weekend with the business calendar: an unacknowledged critical finding raised Friday
// 17:00 (acknowledge within 4 business hours: Monday 12:00) escalates to line 2 after that, not before, once
// per period, with its event and notification; an acknowledged one never escalates.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acknowledgeFinding, reconcileFindings } from '../../src/engine/findings.ts'
import type { DetectedFinding } from '../../src/engine/types.ts'
import { runEscalation, startEscalation } from '../../src/incidents/escalation.ts'
import { routeRunFindings } from '../../src/incidents/routing.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const msk = (local: string) => new Date(`${local}+03:00`)

describe.each(backends)('escalation on %s', (backend) => {
  let db: TestDatabase
  let routingFile: string

  const detected = (key: string, marketCode: string, equipmentTypeCode: string | null): DetectedFinding =>
    ({ ruleId: 'contract-overlap', entities: [{ type: 'contract', key }, { type: 'contract', key: `${key}-B` }], message: `overlap ${key}`, data: {}, details: {}, marketCode, equipmentTypeCode })
  const state = async (key: string) => (await db.sql.query<{ id: string; fingerprint: string; level: number; line: number; group: string; ackDueAt: Date }>(
    `SELECT f.id, f.fingerprint, f."escalationLevel" AS level, f."supportLine" AS line, g.code AS group, f."ackDueAt" FROM finding f
      JOIN responsible_group g ON g.id = f."groupId" WHERE f.entities @> $1::jsonb`, [JSON.stringify([{ type: 'contract', key }])])).rows[0]

  beforeAll(async () => {
    db = await testDatabase(backend)
    await db.sql.query(`INSERT INTO market (code, name) VALUES ('MSK', 'Москва'), ('SPB', 'Петербург')`)
    await db.sql.query(`INSERT INTO equipment_type (code, name) VALUES ('ROUTER', 'Роутер')`)
    routingFile = join(tempDir(), 'routing.yaml')
    writeFileSync(routingFile, `
default: { group: L1-ALL }
groups:
  - { code: L1-ALL, name: Первая линия, email: l1@example.org, line: 1 }
  - { code: L2-MSK, name: Вторая линия Москва, email: "l2-msk@example.org; boss@example.org", line: 2, markets: [MSK] }
  - { code: L2-ALL, name: Вторая линия, email: l2@example.org, line: 2 }
  - { code: L3-ALL, name: Третья линия, email: l3@example.org, line: 3 }
routes: []
`)
    const { rows: [run] } = await db.sql.query<{ id: string }>(`INSERT INTO audit_run (trigger, actor, rules, "asOf") VALUES ('CLI', 'test', '{}', '2026-01-31') RETURNING id`)
    await reconcileFindings(db.sql, { id: run.id, actor: 'test' }, { rules: [{ id: 'contract-overlap', severity: 'CRITICAL' }] },
      [detected('D-MSK', 'MSK', null), detected('D-SPB', 'SPB', null), detected('D-ACK', 'MSK', null)])
    await routeRunFindings(db.sql, run.id, { routingFile, now: msk('2026-01-16T17:00:00') })
    await acknowledgeFinding(db, (await state('D-ACK')).fingerprint, { actor: 'оператор' })
  })
  afterAll(async () => { await db?.close() })

  it('routes them to line 1 with acknowledge-by Monday 12:00', async () => {
    expect(await state('D-MSK')).toMatchObject({ level: 0, line: 1, group: 'L1-ALL', ackDueAt: msk('2026-01-19T12:00:00') })
  })

  it('does not escalate over the weekend nor at the acknowledge-by itself', async () => {
    expect(await runEscalation(db, msk('2026-01-17T12:00:00'))).toEqual([])
    expect(await runEscalation(db, msk('2026-01-19T09:30:00'))).toEqual([])
    expect(await runEscalation(db, msk('2026-01-19T12:00:00'))).toEqual([])
    expect((await state('D-MSK')).level).toBe(0)
  })

  it('escalates past it to line 2 — the group covering the market — once, with an event and a notification', async () => {
    const now = msk('2026-01-19T12:30:00')
    const escalated = await runEscalation(db, now)
    expect(escalated.map((e) => [e.fingerprint, e.level, e.from, e.to]).sort()).toEqual([
      [(await state('D-MSK')).fingerprint, 1, { group: 'L1-ALL', line: 1 }, { group: 'L2-MSK', line: 2 }],
      [(await state('D-SPB')).fingerprint, 1, { group: 'L1-ALL', line: 1 }, { group: 'L2-ALL', line: 2 }],
    ].sort())
    // the new acknowledge-by is 4 business hours from now: 16:30 the same day
    expect(await state('D-MSK')).toMatchObject({ level: 1, line: 2, group: 'L2-MSK', ackDueAt: msk('2026-01-19T16:30:00') })
    expect(await runEscalation(db, now)).toEqual([])

    const f = await state('D-MSK')
    const events = await db.prisma.findingEvent.findMany({ where: { findingId: f.id, action: 'escalated' } })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ actor: 'sla', fromStatus: 'NEW', toStatus: 'NEW', data: { level: 1, from: { group: 'L1-ALL', line: 1 }, to: { group: 'L2-MSK', line: 2 } } })
    const notes = await db.prisma.notification.findMany({ where: { findingId: f.id } })
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatchObject({ kind: 'escalation', recipients: ['l2-msk@example.org', 'boss@example.org'], sentAt: null })
    expect(notes[0].subject).toMatch(/^Эскалация \(уровень 1\): .*договор D-MSK, договор D-MSK-B/)
    expect(notes[0].body).toMatch(/Критичность: критическая/)
    expect(notes[0].body).toMatch(/Правило: .*contract-overlap/)
    expect(notes[0].body).toMatch(/Срок подтверждения: 19\.01\.2026 12:00 \(UTC\+03:00\); просрочено на 30 минут \(рабочих часов: 0\.5\)/)
    expect(notes[0].body).toMatch(/Стало: Вторая линия Москва \(L2-MSK\), линия 2; уровень эскалации 1/)
  })

  it('escalates again only after the new acknowledge-by, up to line 3 and no further', async () => {
    expect(await runEscalation(db, msk('2026-01-19T16:00:00'))).toEqual([])
    expect((await runEscalation(db, msk('2026-01-19T17:00:00'))).map((e) => e.to)).toEqual(expect.arrayContaining([{ group: 'L3-ALL', line: 3 }]))
    expect(await state('D-MSK')).toMatchObject({ level: 2, line: 3, group: 'L3-ALL' })
    await runEscalation(db, msk('2026-01-21T09:00:00'))
    expect(await state('D-MSK')).toMatchObject({ level: 3, line: 3, group: 'L3-ALL' })
    expect(await db.prisma.notification.count({ where: { finding: { fingerprint: (await state('D-MSK')).fingerprint } } })).toBe(3)
  })

  it('never escalates an acknowledged finding', async () => {
    await runEscalation(db, msk('2026-02-27T09:00:00'))
    expect(await state('D-ACK')).toMatchObject({ level: 0, line: 1, group: 'L1-ALL' })
    expect(await db.prisma.findingEvent.count({ where: { finding: { fingerprint: (await state('D-ACK')).fingerprint }, action: 'escalated' } })).toBe(0)
  })

  it('runs periodically until stopped', async () => {
    const before = await db.prisma.findingEvent.count({ where: { action: 'escalated' } })
    const stop = startEscalation(db, { intervalMs: 20, now: () => msk('2026-03-31T12:00:00') })
    for (let i = 0; i < 100 && (await db.prisma.findingEvent.count({ where: { action: 'escalated' } })) === before; i++) await new Promise((r) => setTimeout(r, 20))
    await stop()
    expect(await db.prisma.findingEvent.count({ where: { action: 'escalated' } })).toBeGreaterThan(before)
  })
})
