// The demo a first `sverka serve` on an empty embedded database starts with: a seeded dataset with its
// planted collisions (dated around today), imported and audited, so there is something to look at.
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../db/database.ts'
import { runAudit } from '../audits/run.ts'
import { today } from '../engine/audit.ts'
import { importDirectory } from '../import/importer.ts'
import { parse } from 'csv-parse/sync'
import { csvLine } from '../import/read-file.ts'
import { generateSeed } from './generate.ts'
import { playDemoHistory } from './demo-history.ts'

/** addresses in the demo; SVERKA_DEMO_SCALE changes it (tests use a small one) */
export const DEMO_SCALE = Number(process.env.SVERKA_DEMO_SCALE ?? 2000)

/** Whether the database holds no master data at all (no markets, no addresses). */
export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.sql.query<{ n: number }>(`SELECT (SELECT count(*) FROM market) + (SELECT count(*) FROM address) AS n`)
  return Number(rows[0].n) === 0
}

export interface DemoSummary {
  rows: number
  findings: number
  asOf: string
  /** where the demo's CSVs were kept (options.keepCsvIn), to import them again */
  csvDir?: string
}

/**
 * Generates, imports and audits the demo. `history` (what `sverka serve` asks for) then plays eight weeks of work on
 * it (src/seed/demo-history.ts) so the reports album has a trend, ages, calls and bottlenecks to show.
 */
export async function loadDemo(db: Database, options: { scale?: number; seed?: number; history?: boolean; keepCsvIn?: string } = {}): Promise<DemoSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'sverka-demo-'))
  const asOf = today()
  try {
    await generateSeed({ scale: options.scale ?? DEMO_SCALE, seed: options.seed ?? 42, out: dir, asOf })
    await addShowcase(dir)
    const imported = await importDirectory(db, dir, { rejectsFile: join(dir, 'rejects.csv') })
    const audit = await runAudit(db, { trigger: 'CLI', actor: 'demo', asOf })
    const rows = imported.files.reduce((n, f) => n + f.inserted + f.updated + f.unchanged, 0)
    const findings = options.history ? await playDemoHistory(db, audit.run.id, asOf) : audit.findings.length
    if (options.keepCsvIn === undefined) return { rows, findings, asOf }
    // kept for the specialist who imports them again (a merge's aliases keep the merged members from coming back)
    await rm(options.keepCsvIn, { recursive: true, force: true })
    await cp(dir, options.keepCsvIn, { recursive: true, filter: (source) => !source.endsWith('rejects.csv') })
    return { rows, findings, asOf, csvDir: options.keepCsvIn }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * One story a newcomer can find by typing «Ленина 5»: the same Moscow flat entered twice in two notations,
 * two overlapping contracts for one service there, and a router whose serial (written another way) is
 * already registered to another device.
 */
async function addShowcase(dir: string) {
  const rows = async (file: string) => (parse(await readFile(join(dir, file), 'utf8'), { from_line: 2 }))
  const router = (await rows('products.csv')).find((r) => r[2] === 'EQUIPMENT' && r[3] === 'ROUTER')
  const service = (await rows('products.csv')).find((r) => r[2] === 'SERVICE' && r[3] === 'ROUTER' && r[4]?.includes('MSK'))
  const taken = (await rows('equipment.csv')).find((r) => /^[A-Z0-9]{8,}$/.test(r[1] ?? ''))
  if (!router || !service || !taken) return
  const serial = `${taken[1].slice(0, 4).toLowerCase()}-${taken[1].slice(4).toLowerCase()}`
  const append = (file: string, lines: string[][]) => appendFile(join(dir, file), lines.map((l) => `${csvLine(l)}\n`).join(''))
  await append('customers.csv', [['C-DEMO-1', 'Иванов Иван Иванович', 'PERSON', '', '+7 (916) 123-45-67', 'ivanov@example.ru']])
  await append('addresses.csv', [
    ['A-DEMO-1', 'г. Москва, ул. Ленина, д. 5, кв. 12', '', '', '', '', '', '', ''],
    ['A-DEMO-2', 'Москва, Ленина ул., 5-12', '', '', '', '', '', '', ''],
  ])
  await append('contracts.csv', [
    ['D-DEMO-1', 'C-DEMO-1', 'A-DEMO-1', service[0], 'MSK', 'ACTIVE', '2024-01-15', ''],
    ['D-DEMO-2', 'C-DEMO-1', 'A-DEMO-1', service[0], 'MSK', 'ACTIVE', '2025-06-01', ''],
  ])
  await append('equipment.csv', [['INV-DEMO-1', serial, '', router[0], 'A-DEMO-1', 'D-DEMO-1', 'INSTALLED', '2024-01-20', '']])
}
