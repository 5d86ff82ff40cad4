// The demo a first `sverka serve` on an empty embedded database starts with: a seeded dataset with its
// planted collisions (dated around today), imported and audited, so there is something to look at.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../db/database.ts'
import { runAudit, today } from '../engine/audit.ts'
import { importDirectory } from '../import/importer.ts'
import { generateSeed } from './generate.ts'

export const DEMO_SCALE = 2000

/** Whether the database holds no master data at all (no markets, no addresses). */
export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.sql.query<{ n: number }>(`SELECT (SELECT count(*) FROM market) + (SELECT count(*) FROM address) AS n`)
  return Number(rows[0]!.n) === 0
}

export interface DemoSummary { rows: number; findings: number; asOf: string }

export async function loadDemo(db: Database, options: { scale?: number; seed?: number } = {}): Promise<DemoSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'sverka-demo-'))
  const asOf = today()
  try {
    await generateSeed({ scale: options.scale ?? DEMO_SCALE, seed: options.seed ?? 42, out: dir, asOf })
    const imported = await importDirectory(db, dir, { rejectsFile: join(dir, 'rejects.csv') })
    const audit = await runAudit(db, { trigger: 'CLI', actor: 'demo', asOf })
    const rows = imported.files.reduce((n, f) => n + f.inserted + f.updated + f.unchanged, 0)
    return { rows, findings: audit.findings.length, asOf }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
