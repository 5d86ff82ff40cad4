// «Not a duplicate» marks on generated data: after marks made and removed at random on the seed's duplicate findings,
// the findings kept by the re-checks equal a full detection of the same data, no open duplicate finding holds a
// marked pair, and a full audit changes nothing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Principal } from '../../src/access/scope.ts'
import { runAudit } from '../../src/audits/run.ts'
import { loadCatalog } from '../../src/engine/catalog.ts'
import { runDetection } from '../../src/engine/detect.ts'
import { pairKey } from '../../src/engine/detectors/fuzzy-duplicate.ts'
import { fingerprint } from '../../src/engine/fingerprint.ts'
import { OPEN_STATUSES } from '../../src/engine/findings.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { listDistinctMarks, livePairs, markDistinct, removeDistinctMark } from '../../src/merge/distinct.ts'
import type { EntityRef } from '../../src/records/model.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const asOf = '2026-01-31'
const actor = 'nsi'
const NSI: Principal = { keyId: 1, name: 'nsi', role: 'NSI_SPECIALIST', markets: null }

for (const backend of backends) {
  describe(`not a duplicate on generated data (${backend})`, () => {
    let db: TestDatabase

    beforeAll(async () => {
      db = await testDatabase(backend)
      const dir = tempDir('distinct-seed')
      await generateSeed({ scale: 300, seed: 17, out: dir, asOf })
      await importDirectory(db, dir)
      await runAudit(db, { trigger: 'CLI', actor, asOf })
    }, 120_000)
    afterAll(async () => { await db?.close() })

    const openDuplicates = async () => (await db.sql.query<{ id: string; ruleId: string; entities: EntityRef[] }>(
      `SELECT id::text AS id, "ruleId", entities FROM finding WHERE "ruleId" IN ('address-duplicate', 'customer-duplicate')
          AND status::text = ANY($1::text[]) ORDER BY fingerprint`, [[...OPEN_STATUSES]])).rows

    const expectConsistent = async () => {
      const rules = (await loadCatalog()).rules.filter((r) => r.enabled)
      const { findings } = await runDetection(db, rules, { asOf })
      const { rows } = await db.sql.query<{ fingerprint: string }>(`SELECT fingerprint FROM finding WHERE status::text = ANY($1::text[])`, [[...OPEN_STATUSES]])
      expect(rows.map((r) => r.fingerprint).sort()).toEqual(findings.map((f) => fingerprint(f.ruleId, f.entities)).sort())
      const marked = { address: await livePairs(db.sql, 'address'), customer: await livePairs(db.sql, 'customer') }
      for (const f of await openDuplicates()) {
        const keys = f.entities.map((e) => e.key)
        const type = f.entities[0].type as 'address' | 'customer'
        for (const [i, a] of keys.entries()) for (const b of keys.slice(i + 1)) expect(marked[type].has(pairKey(a, b))).toBe(false)
      }
    }

    it('random marks and removals keep the re-checked findings equal to a full detection', async () => {
      expect((await openDuplicates()).length).toBeGreaterThan(2)
      await fc.assert(fc.asyncProperty(fc.array(fc.record({ remove: fc.boolean(), pick: fc.nat(), keys: fc.nat() }), { minLength: 3, maxLength: 6 }), async (steps) => {
        for (const step of steps) {
          const live = await listDistinctMarks(db.sql, NSI, {})
          if (step.remove && live.length > 0) {
            await removeDistinctMark(db, NSI, live[step.pick % live.length].id, { actor, asOf, reason: 'проверка' })
          } else {
            const open = await openDuplicates()
            if (open.length === 0) continue
            const f = open[step.pick % open.length]
            const keys = f.entities.map((e) => e.key)
            // two of the finding's records, or all of them
            const chosen = step.keys % 3 === 0 ? keys : [keys[step.keys % keys.length], keys[(step.keys + 1) % keys.length]]
            await markDistinct(db, NSI, { findingId: f.id, keys: chosen, reason: 'разные записи' }, { actor, asOf })
          }
          await expectConsistent()
        }
      }), { numRuns: 4 })
      const before = (await openDuplicates()).map((f) => f.id)
      await runAudit(db, { trigger: 'CLI', actor, asOf })
      expect((await openDuplicates()).map((f) => f.id)).toEqual(before)
    }, 240_000)
  })
}
