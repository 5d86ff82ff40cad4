// A full audit over data and findings nothing has changed since the last scored run takes that run's quality score
// instead of counting again (issue 18: a second audit with no change writes nearly nothing), and only then: a finding
// waived in between makes the flagged records be found again (the record counts still taken), a changed record makes
// the records be counted again. Every score stored — copied or computed — equals a fresh computation of the same data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { waiveFinding } from '../../src/engine/findings.ts'
import { countRecords, storeQualityScores, type QualityInputs } from '../../src/engine/quality.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

interface Scored { inputs: QualityInputs | null; from: string | null; rows: string[] }

describe.each(backends)('the quality score of an unchanged audit on %s', (backend) => {
  let db: TestDatabase
  let asOf: string
  const runs: Array<Scored & { id: string }> = []

  const scoreRows = async (runId: string) => (await db.sql.query<{ row: string }>(`
    SELECT concat_ws(' ', coalesce("marketCode", '-'), "entityType", records, clean) AS row FROM quality_score
     WHERE "runId" = $1::uuid ORDER BY 1`, [runId])).rows.map((r) => r.row)

  /** The score of the data and findings as they are, computed from scratch (in a transaction rolled back). */
  const fresh = async (): Promise<string[]> => {
    let rows: string[] = []
    await db.sql.transaction(async (tx) => {
      const { rows: [run] } = await tx.query<{ id: string }>(
        `INSERT INTO audit_run (trigger, actor, rules, "asOf", status) VALUES ('CLI', 'test', '{}', $1::date, 'SUCCEEDED') RETURNING id`, [asOf])
      await storeQualityScores(tx, run.id, { counts: await countRecords(tx), version: 'none', from: null })
      rows = (await tx.query<{ row: string }>(`
        SELECT concat_ws(' ', coalesce("marketCode", '-'), "entityType", records, clean) AS row FROM quality_score
         WHERE "runId" = $1::uuid ORDER BY 1`, [run.id])).rows.map((r) => r.row)
      throw new Rollback()
    }).catch((e: unknown) => { if (!(e instanceof Rollback)) throw e })
    return rows
  }

  const audit = async () => {
    const { run } = await runAudit(db, { trigger: 'CLI', actor: 'test', asOf })
    const { rows: [stored] } = await db.sql.query<{ inputs: QualityInputs | null; from: string | null }>(
      `SELECT "qualityInputs" AS inputs, timings->>'qualityFrom' AS "from" FROM audit_run WHERE id = $1::uuid`, [run.id])
    const scored = { id: run.id, ...stored, rows: await scoreRows(run.id) }
    expect(scored.rows, 'the stored score is the data’s').toEqual(await fresh())
    runs.push(scored)
    return scored
  }

  beforeAll(async () => {
    const dir = tempDir('quality-reuse-')
    asOf = (await generateSeed({ scale: 300, seed: 11, out: dir })).asOf
    db = await testDatabase(backend)
    await importDirectory(db, dir)
    await audit() // 0: first
    await audit() // 1: nothing changed
    // 2: a person waives an open finding: the open findings are others, the data the same
    const { rows: [open] } = await db.sql.query<{ fingerprint: string }>(
      `SELECT fingerprint FROM finding WHERE status::text IN ('NEW', 'OPEN') AND "ruleId" = 'equipment-duplicate-serial' LIMIT 1`)
    await waiveFinding(db, open.fingerprint, { actor: 'nsi', reason: 'known', until: null })
    await audit()
    // 3: a record changed (a statement on a master table moves the data's version)
    await db.sql.query(`UPDATE address SET "postalCode" = "postalCode" WHERE code = (SELECT min(code) FROM address)`)
    await audit()
    await audit() // 4: nothing changed again
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('a full audit keeps what its score was computed from', () => {
    for (const run of runs) expect(run.inputs).toEqual({ counted: expect.any(String), flagged: expect.any(String) })
    expect(runs[0].from).toBeNull()
    expect(runs[0].rows.length).toBeGreaterThan(5)
  })

  it('with nothing changed, takes the last score whole', () => {
    expect(runs[1].from).toBe(runs[0].id)
    expect(runs[1].inputs).toEqual(runs[0].inputs)
    expect(runs[1].rows).toEqual(runs[0].rows)
    expect(runs[4].from).toBe(runs[3].id)
  })

  it('finds the flagged records again when the open findings changed, and counts again when the data did', () => {
    expect(runs[2].from).toBeNull()
    expect(runs[2].inputs!.counted).toBe(runs[1].inputs!.counted)
    expect(runs[2].inputs!.flagged).not.toBe(runs[1].inputs!.flagged)
    // the waived finding's devices are clean now
    expect(runs[2].rows).not.toEqual(runs[1].rows)
    expect(runs[3].from).toBeNull()
    expect(runs[3].inputs!.counted).not.toBe(runs[2].inputs!.counted)
  })
})

class Rollback extends Error {}
