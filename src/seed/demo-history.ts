// Eight weeks of work on the demo, so the reports album has something to show on a first start: the demo's first
// audit moved eight weeks back; NSI specialists acknowledging, starting and waiving findings; calls registered as
// incidents and complaints on the records in conflict; new collisions typed in later (an address in another notation,
// a serial registered twice) and found by later audits. Every audit, acknowledgement and incident is made by the
// real code; only its clock is moved back afterwards (run, findings first seen in it, their SLA dues and events).
import type { Database, SqlClient } from '../db/database.ts'
import { runAudit } from '../audits/run.ts'
import { SYSTEM } from '../access/scope.ts'
import { acknowledgeFinding, startFinding, waiveFinding } from '../engine/findings.ts'
import { registerIncident } from '../incidents/intake.ts'
import { importDirectory } from '../import/importer.ts'
import { csvLine } from '../import/read-file.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ACTOR = 'демо: специалист НСИ'

/** Moves a run that has just finished `days` back: the run, the findings it first saw (with their dues) and its events. */
async function moveRunBack(sql: SqlClient, runId: string, days: number) {
  const back = `$2 * interval '1 day'`
  await sql.query(`UPDATE audit_run SET "startedAt" = "startedAt" - ${back}, "finishedAt" = "finishedAt" - ${back}, "heartbeatAt" = "heartbeatAt" - ${back} WHERE id = $1`, [runId, days])
  await sql.query(`UPDATE finding SET "firstSeenAt" = "firstSeenAt" - ${back}, "createdAt" = "createdAt" - ${back},
    "ackDueAt" = "ackDueAt" - ${back}, "dueAt" = "dueAt" - ${back} WHERE "firstRunId" = $1`, [runId, days])
  await sql.query(`UPDATE finding SET "lastSeenAt" = "lastSeenAt" - ${back} WHERE "lastRunId" = $1`, [runId, days])
  // the findings the run opened (detected or reopened) became open when it ran; what it saw without writing the finding
  // is in its rule_seen rows
  await sql.query(`UPDATE finding SET "openedAt" = "openedAt" - ${back}
    WHERE id IN (SELECT "findingId" FROM finding_event WHERE "runId" = $1 AND "toStatus" IN ('NEW', 'REOPENED'))`, [runId, days])
  await sql.query(`UPDATE rule_seen SET "seenAt" = "seenAt" - ${back} WHERE "runId" = $1`, [runId, days])
  await sql.query(`UPDATE finding_event SET at = at - ${back} WHERE "runId" = $1`, [runId, days])
}

/** Open findings first seen in a run, in a stable order (by fingerprint). */
async function findingsOf(sql: SqlClient, runId: string) {
  const { rows } = await sql.query<{ id: string; fingerprint: string; firstSeenAt: Date; type: string; key: string }>(`
    SELECT f.id, f.fingerprint, f."firstSeenAt", e."entityType" AS type, e."entityKey" AS key
    FROM finding f JOIN LATERAL (SELECT "entityType", "entityKey" FROM finding_entity WHERE "findingId" = f.id ORDER BY 1, 2 LIMIT 1) e ON true
    WHERE f."firstRunId" = $1 AND f.status IN ('NEW', 'OPEN', 'REOPENED') ORDER BY f.fingerprint`, [runId])
  return rows
}

/** Sets the time of the finding's newest event of `action` (and acknowledgedAt for an acknowledgement). */
async function dateWork(sql: SqlClient, findingId: string, action: string, at: Date) {
  await sql.query(`UPDATE finding_event SET at = $3 WHERE id = (SELECT max(id) FROM finding_event WHERE "findingId" = $1 AND action = $2)`, [findingId, action, at.toISOString()])
  if (action === 'acknowledged') await sql.query(`UPDATE finding SET "acknowledgedAt" = $2 WHERE id = $1`, [findingId, at.toISOString()])
}

/** A few new collisions typed in: addresses again in capitals (the same place), serials registered once more. */
async function plantCollisions(db: Database, batch: string, addresses: number, serials: number, offset: number) {
  const { rows: places } = await db.sql.query<{ code: string; text: string }>(
    `SELECT a.code, a.text FROM address a WHERE a.house IS NOT NULL AND EXISTS (SELECT 1 FROM contract k WHERE k."addressId" = a.id)
     ORDER BY md5(a.code) LIMIT $1 OFFSET $2`, [addresses, offset])
  const { rows: devices } = await db.sql.query<{ serial: string; sku: string; address: string | null }>(
    `SELECT e.serial, p.sku, a.code AS address FROM equipment e JOIN product p ON p.id = e."productId" LEFT JOIN address a ON a.id = e."addressId"
     WHERE e.status = 'INSTALLED' AND e.serial IS NOT NULL AND length(e."serialNorm") >= 8 ORDER BY md5(e."inventoryNo") LIMIT $1 OFFSET $2`, [serials, offset])
  const dir = await mkdtemp(join(tmpdir(), 'sverka-demo-history-'))
  try {
    const file = (name: string, header: string[], lines: string[][]) => writeFile(join(dir, name), [header, ...lines].map((l) => `${csvLine(l)}\n`).join(''))
    await file('addresses.csv', ['code', 'text'], places.map((p, i) => [`A-${batch}-${i + 1}`, p.text.toUpperCase()]))
    await file('equipment.csv', ['inventory_no', 'serial', 'product', 'address', 'status'],
      devices.map((d, i) => [`INV-${batch}-${i + 1}`, d.serial.toLowerCase(), d.sku, d.address ?? '', 'IN_STOCK']))
    await importDirectory(db, dir, { rejectsFile: join(dir, 'rejects.csv') })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Calls about some of the findings: an incident or complaint naming the record in conflict, registered at `at(i)`. */
async function registerCalls(db: Database, findings: Awaited<ReturnType<typeof findingsOf>>, at: (i: number) => Date, prefix: string) {
  const field: Record<string, 'address' | 'contract' | 'equipment' | 'customer'> = { address: 'address', contract: 'contract', equipment: 'equipment', customer: 'customer' }
  let n = 0
  for (const f of findings) {
    const reference = field[f.type]
    if (!reference) continue
    const kind = n % 3 === 2 ? 'COMPLAINT' : 'INCIDENT'
    const result = await registerIncident(db, SYSTEM, {
      kind, channel: n % 4 === 3 ? 'EMAIL' : 'PHONE', externalRef: `${prefix}-${n + 1}`, [reference]: f.key,
      description: kind === 'COMPLAINT' ? 'Клиент недоволен: мастер приехал не по тому адресу' : 'Звонок в поддержку: данные в карточке не сходятся',
    }, 'демо: оператор')
    const when = at(n).toISOString()
    await db.sql.query(`UPDATE incident SET "createdAt" = $2, "updatedAt" = $2 WHERE id = $1`, [result.id, when])
    await db.sql.query(`UPDATE finding_incident SET "createdAt" = $2 WHERE "incidentId" = $1`, [result.id, when])
    n++
  }
}

/** Plays the eight weeks after the demo's first audit (`firstRunId`); returns the open findings after the last audit. */
export async function playDemoHistory(db: Database, firstRunId: string, asOf: string): Promise<number> {
  const sql = db.sql
  const now = Date.now()
  await moveRunBack(sql, firstRunId, 56)

  // weeks 1–4: the NSI team works the first list — acknowledges 40 % within hours to days, starts a third of those,
  // waives known exceptions; calls come in about some of the conflicts
  const first = await findingsOf(sql, firstRunId)
  for (const [i, f] of first.entries()) {
    const seen = new Date(f.firstSeenAt).getTime()
    if (i % 5 < 2) {
      await acknowledgeFinding(db, f.fingerprint, { actor: ACTOR })
      await dateWork(sql, f.id, 'acknowledged', new Date(seen + (1 + (i * 7) % 70) * HOUR))
      if (i % 3 === 0) {
        await startFinding(db, f.fingerprint, { actor: ACTOR })
        await dateWork(sql, f.id, 'started', new Date(seen + (3 + (i * 5) % 90) * HOUR))
      }
    } else if (i % 12 === 2) {
      await waiveFinding(db, f.fingerprint, { actor: ACTOR, reason: 'Известное исключение: подтверждено выездом мастера' })
      await dateWork(sql, f.id, 'waived', new Date(seen + (20 + i % 7) * DAY))
    }
  }
  await registerCalls(db, first.filter((_, i) => i % 6 === 1).slice(0, 16), (i) => new Date(now - (50 - i * 2.5) * DAY), 'DEMO-CALL')

  // the audits that followed: the waived exceptions gone (four weeks ago), new collisions typed in and found later
  let run = await runAudit(db, { trigger: 'SCHEDULE', actor: 'demo', asOf })
  await moveRunBack(sql, run.run.id, 28)
  const batches: [string, number, number, number][] = [['DEMO-W6', 3, 2, 10], ['DEMO-W8', 2, 1, 3], ['DEMO-NOW', 1, 1, 0]]
  for (const [b, [batch, addresses, serials, daysAgo]] of batches.entries()) {
    await plantCollisions(db, batch, addresses, serials, 40 + b * 5)
    run = await runAudit(db, { trigger: 'SCHEDULE', actor: 'demo', asOf })
    if (daysAgo === 0) break
    await moveRunBack(sql, run.run.id, daysAgo)
    // half of these acknowledged in time (within the hour), the others left for the album's bottlenecks
    const found = await findingsOf(sql, run.run.id)
    for (const [i, f] of found.entries()) {
      if (i % 2 === 1) continue
      await acknowledgeFinding(db, f.fingerprint, { actor: ACTOR })
      await dateWork(sql, f.id, 'acknowledged', new Date(new Date(f.firstSeenAt).getTime() + 40 * 60_000))
    }
    await registerCalls(db, found.slice(0, 2), (i) => new Date(now - (daysAgo - 1 - i * 0.3) * DAY), `DEMO-CALL-${batch}`)
  }
  const { rows: [open] } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding WHERE status IN ('NEW', 'OPEN', 'REOPENED', 'ACKNOWLEDGED', 'IN_PROGRESS')`)
  return open.n
}
