// An audit of unchanged data takes each rule's detection from the last run's findings (src/engine/reuse.ts): the
// result must be the one a detection would give — same findings, statuses, events — and any change to what the
// rules read (a record, a «not a duplicate» mark, the as-of date) must make them detect again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { resolveFinding } from '../../src/engine/findings.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const AS_OF = '2026-01-31'

describe.each(backends)('detection reuse on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('sverka-reuse-')
    await generateSeed({ scale: 400, seed: 5, out: dir, asOf: AS_OF, collisions: 0.05 })
    await importDirectory(db, dir)
  }, 300_000)
  afterAll(async () => { await db?.close() })

  const audit = (asOf = AS_OF) => runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
  const reusedBy = async (runId: string) =>
    ((await db.prisma.auditRun.findUniqueOrThrow({ where: { id: runId } })).timings as { reused?: string[] }).reused ?? []
  const state = async () => (await db.sql.query(
    `SELECT fingerprint, status::text, message, details, "marketCode", "equipmentTypeCode" FROM finding ORDER BY fingerprint`)).rows
  const eventsSince = async (runId: string) => (await db.sql.query<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM finding_event WHERE "runId" = $1 GROUP BY 1 ORDER BY 1`, [runId])).rows

  /** The same audit once more with detection forced: what the reused one must have given. */
  async function detected() {
    process.env.SVERKA_DETECTION_REUSE = '0'
    try {
      return await audit()
    } finally {
      delete process.env.SVERKA_DETECTION_REUSE
    }
  }

  it('reuses every rule on unchanged data and gives what a detection gives', async () => {
    const first = await audit()
    expect(first.run.counts.new).toBeGreaterThan(50)
    expect(await reusedBy(first.run.id)).toEqual([])
    const second = await audit() // NEW → OPEN, from the reused detection
    const rules = second.run.rules.slice().sort()
    expect(await reusedBy(second.run.id)).toEqual(rules)
    expect(second.run.counts).toEqual({ ...first.run.counts, new: 0 })
    const afterReuse = await state()
    const third = await detected()
    expect(await reusedBy(third.run.id)).toEqual([])
    expect(third.findings).toEqual(second.findings)
    expect(await state()).toEqual(afterReuse)
    expect(await eventsSince(third.run.id)).toEqual([])
    // and after a detected run, the next one reuses again
    expect(await reusedBy((await audit()).run.id)).toEqual(rules)
  })

  it('a finding a person closed comes back as a detection would bring it back', async () => {
    const [one] = (await audit()).findings
    await resolveFinding(db, one.fingerprint, { actor: 'p', comment: 'исправлено' })
    const again = await audit()
    expect(await reusedBy(again.run.id)).toContain(one.ruleId)
    expect(again.run.counts.reopened).toBe(1)
    expect((await db.prisma.finding.findUniqueOrThrow({ where: { fingerprint: one.fingerprint } })).status).toBe('REOPENED')
  })

  it('detects again after a change to a record, a «not a duplicate» mark or another as-of date', async () => {
    await audit()
    await db.sql.query(`UPDATE address SET apartment = apartment WHERE code = (SELECT min(code) FROM address)`)
    expect(await reusedBy((await audit()).run.id)).toEqual([])
    expect((await reusedBy((await audit()).run.id)).length).toBeGreaterThan(0)
    const { rows: [pair] } = await db.sql.query<{ a: string; b: string }>(`SELECT min(code) AS a, max(code) AS b FROM customer`)
    await db.sql.query(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES ('customer', $1, $2, 'тест', 't')`, [pair.a, pair.b])
    expect(await reusedBy((await audit()).run.id)).toEqual([])
    expect(await reusedBy((await audit('2026-02-01')).run.id)).toEqual([])
    // a write rolled back changes nothing
    await db.sql.transaction(async (tx) => {
      await tx.query(`UPDATE address SET apartment = apartment`)
      throw new Error('rolled back')
    }).catch(() => {})
    expect((await reusedBy((await audit('2026-02-01')).run.id)).length).toBeGreaterThan(0)
  })
})
