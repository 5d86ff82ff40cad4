// `sverka merge` as a user runs it: real processes on a real embedded data directory (and `--from-findings` once more
// on PostgreSQL, where the merges run side by side). The database is read between commands to see what they did.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { oneLine, sverkaIn } from '../helpers/cli.ts'
import { baseFiles, csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { readCsv } from '../helpers/exports.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const asOf = '2026-01-31'

/** baseFiles with duplicate address groups: one per case `--from-findings` meets. */
function files(): Record<string, string> {
  const f = baseFiles()
  const address = (rows: Array<[string, string, string?]>) =>
    csv(['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'], rows.map(([k, t, postal]) => [k, t, '', '', '', '', '', '', postal ?? ''])).split('\n').slice(1).join('\n')
  f['addresses.csv'] += address([
    // A-1's place written another way, with a contract of its own: the explicit merge
    ['A-3', 'Москва, улица Ленина, 5, кв. 12'],
    // two clean groups; in one the less complete member (no postal code) has a contract, which moves
    ['A-4', 'г. Казань, ул. Баумана, д. 7, кв. 1', '420111'], ['A-5', 'Казань, улица Баумана, 7, кв. 1'],
    ['A-6', 'г. Самара, ул. Мира, д. 3, кв. 9'], ['A-7', 'Самара, ул. Мира, 3, кв. 9'],
    // marked «not a duplicate» after the audit
    ['A-8', 'г. Омск, ул. Лермонтова, д. 11, кв. 4'], ['A-9', 'Омск, улица Лермонтова, д. 11, кв. 4'],
    // one member deleted after the audit
    ['A-10', 'г. Пенза, ул. Кирова, д. 1, кв. 1'], ['A-11', 'Пенза, ул. Кирова, 1, кв. 1'],
    // eleven records of one flat: more than the rule's maxGroup (10), split into parts flagged for review
    ...Array.from({ length: 11 }, (_, i): [string, string, string?] => [`A-T${String(i + 1).padStart(2, '0')}`, 'г. Тула, ул. Советская, д. 2, кв. 5']),
  ])
  f['contracts.csv'] += csv(['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'], [
    ['D-3', 'C-2', 'A-3', 'TV-BASE', 'MSK', 'TERMINATED', '2019-01-01', '2019-12-31'],
    ['D-5', 'C-1', 'A-5', 'NET-500', 'MSK', 'TERMINATED', '2019-01-01', '2019-12-31'],
  ]).split('\n').slice(1).join('\n')
  return f
}

interface Preview { survivor: string; proposed: string; reason: string; moves: Array<{ type: string; key: string; field: string; from: string }>; resolving: Array<{ ruleId: string; entities: Array<{ key: string }> }> }
interface Bulk {
  counts: { groups: number; merged: number; planned: number; skipped: Record<string, number>; failed: number }
  groups: Array<{ findingId: string; keys: string[]; outcome: string; reason?: string; detail?: string[]; survivor?: string; mergeId?: string }>
  recheck: { resolved: number } | null
  resolvedGroups: number
}

async function state(db: Pick<Database, 'sql'>) {
  const q = async <T>(text: string) => (await db.sql.query<T>(text)).rows
  return {
    addresses: (await q<{ code: string }>(`SELECT code FROM address ORDER BY code`)).map((r) => r.code),
    contracts: Object.fromEntries((await q<{ number: string; code: string }>(`SELECT c.number, a.code FROM contract c JOIN address a ON a.id = c."addressId" ORDER BY 1`)).map((r) => [r.number, r.code])),
    merges: (await q<{ survivor: string; members: string[]; actor: string }>(`SELECT "survivorKey" AS survivor, "memberKeys" AS members, actor FROM record_merge ORDER BY "survivorKey"`)),
    aliases: Object.fromEntries((await q<{ alias: string; target: string }>(`SELECT alias, "targetKey" AS target FROM record_alias ORDER BY alias`)).map((r) => [r.alias, r.target])),
    duplicates: (await q<{ keys: string; status: string }>(`
      SELECT string_agg(fe."entityKey", ',' ORDER BY fe."entityKey") AS keys, f.status::text AS status FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id
      WHERE f."ruleId" = 'address-duplicate' GROUP BY f.id, f.status ORDER BY 1`)),
  }
}

const keysOf = (g: { keys: string[] }) => [...g.keys].sort().join(',')
const tula = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `A-T${String(from + i).padStart(2, '0')}`)

/** After the audit: marked «not a duplicate» (as a person would, before the next re-check), A-11 deleted. */
async function afterAudit(db: Pick<Database, 'sql'>) {
  await db.sql.query(`INSERT INTO distinct_mark ("entityType", "keyA", "keyB", reason, actor) VALUES ('address', 'A-8', 'A-9', 'два разных дома', 'test')`)
  await db.sql.query(`DELETE FROM address WHERE code = 'A-11'`)
}

describe.runIf(backends.includes('pglite'))('sverka merge (embedded database)', { timeout: 600_000 }, () => {
  const dataDir = tempDir('sverka-cli-merge-')
  const sverka = sverkaIn(dataDir, 'warn')
  const csvDir = writeFiles(tempDir(), files())
  const inDb = async <T>(fn: (db: Database) => Promise<T>) => {
    const db = await openDatabase({ dataDir: join(dataDir, 'db') })
    try { return await fn(db) } finally { await db.close() }
  }

  beforeAll(async () => {
    const imported = sverka('import', csvDir)
    expect(imported.code, imported.stderr).toBe(0)
    const audit = sverka('audit', '--as-of', asOf, '--format', 'json')
    expect(audit.code, audit.stderr).toBe(0)
    await inDb(afterAudit)
  }, 300_000)

  it('refuses what cannot be a merge with one line and exit code 2, before opening the database', () => {
    const cases: Array<[string[], RegExp]> = [
      [['merge', '--type', 'address', 'A-1'], /^sverka: укажите KEY KEY… \(два или больше\) или --from-findings RULE$/],
      [['merge', 'A-1', 'A-3'], /^sverka: --type: укажите тип записей \(address, customer\)$/],
      [['merge', '--type', 'contract', 'D-1', 'D-2'], /^sverka: --type: неизвестный тип записей «contract»/],
      [['merge', '--type', 'address', 'A-1', 'A-3', '--field', 'text'], /^sverka: --field: нужно ПОЛЕ=КЛЮЧ, получено «text»$/],
      [['merge', '--type', 'address', 'A-1', 'A-3', '--limit', '5'], /^sverka: --limit указывается только с --from-findings$/],
      [['merge', '--from-findings', 'address-duplicate', 'A-1'], /^sverka: ключи записей не указываются вместе с --from-findings/],
      [['merge', '--from-findings', 'address-duplicate', '--limit', '0'], /^sverka: --limit: нужно целое число ≥ 1, получено «0»$/],
    ]
    for (const [args, message] of cases) {
      const r = sverka(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(oneLine(r.stderr)).toMatch(message)
    }
    const notDuplicate = sverka('merge', '--from-findings', 'contract-overlap')
    expect(notDuplicate.code).toBe(2)
    expect(oneLine(notDuplicate.stderr)).toBe('sverka: правило «contract-overlap» не ищет дубли адресов или клиентов; правила дублей: address-duplicate, customer-duplicate')
    const unknown = sverka('merge', '--type', 'address', 'A-1', 'A-404')
    expect(unknown.code).toBe(2)
    expect(oneLine(unknown.stderr)).toMatch(/A-404/)
  })

  it('--dry-run shows the survivor and why, the fields, what moves and what resolves, and changes nothing', async () => {
    const before = await inDb(state)
    const text = sverka('merge', '--type', 'address', 'A-3', 'A-1', '--dry-run')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^Предпросмотр объединения \(тип записей: адрес\); ничего не изменено$/m)
    expect(text.stdout).toMatch(/^Остаётся: A-1 \(самая полная запись\)$/m)
    expect(text.stdout).toMatch(/^договор\s+D-3\s+адрес\s+A-3$/m)
    expect(text.stdout).toMatch(/^postal_code\s+125009\s+A-1\s+\*$/m)
    expect(text.stdout).toMatch(/^Будут устранены находки: 1$/m)
    expect(text.stdout).toMatch(/^address-duplicate\s+средняя\s+адрес A-1, адрес A-3$/m)

    const json = sverka('merge', '--type', 'address', 'A-3', 'A-1', '--survivor', 'A-3', '--dry-run', '--json')
    expect(json.code, json.stderr).toBe(0)
    const preview = JSON.parse(json.stdout) as Preview
    expect(preview).toMatchObject({ survivor: 'A-3', proposed: 'A-1', reason: 'chosen' })
    expect(preview.moves).toEqual([
      { type: 'contract', key: 'D-1', field: 'address', from: 'A-1' },
      { type: 'equipment', key: 'INV-1', field: 'address', from: 'A-1' },
    ])
    expect(preview.resolving.map((f) => [f.ruleId, f.entities.map((e) => e.key)])).toEqual([['address-duplicate', ['A-1', 'A-3']]])
    expect(await inDb(state)).toEqual(before)
  })

  it('merges the keys given: the member goes, its contract moves, its key becomes an alias, the finding resolves', async () => {
    const r = sverka('merge', '--type', 'address', 'A-1', 'A-3', '--as-of', asOf)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Объединение [0-9a-f-]{36}: остаётся A-1, объединены A-3$/m)
    expect(r.stdout).toMatch(/^Перенесено на остающуюся запись: 1$/m)
    expect(r.stdout).toMatch(/^договор\s+D-3\s+адрес\s+A-3$/m)
    expect(r.stdout).toMatch(/^Устранены находки: 1$/m)
    expect(r.stdout).toMatch(/^Появились находки: 0$/m)
    const s = await inDb(state)
    expect(s.addresses).not.toContain('A-3')
    expect(s.contracts['D-3']).toBe('A-1')
    expect(s.aliases).toEqual({ 'A-3': 'A-1' })
    expect(s.merges).toEqual([{ survivor: 'A-1', members: ['A-3'], actor: expect.stringMatching(/^cli:\S+$/) }])
    expect(s.duplicates.find((d) => d.keys === 'A-1,A-3')?.status).toBe('RESOLVED')
  })

  it('--from-findings --dry-run plans the unambiguous groups, says why the others are skipped, and changes nothing', async () => {
    const before = await inDb(state)
    const r = sverka('merge', '--from-findings', 'address-duplicate', '--dry-run', '--json', '--as-of', asOf)
    expect(r.code, r.stderr).toBe(0)
    const bulk = JSON.parse(r.stdout) as Bulk
    const outcome = Object.fromEntries(bulk.groups.map((g) => [keysOf(g), [g.outcome, g.reason ?? g.survivor, ...(g.detail ?? [])]]))
    expect(outcome).toEqual({
      'A-4,A-5': ['planned', 'A-4'],
      'A-6,A-7': ['planned', 'A-6'],
      'A-8,A-9': ['skipped', 'distinct', 'A-8/A-9'],
      'A-10,A-11': ['skipped', 'missing', 'A-11'],
      // the rule split the eleven into parts: each names only part of the place
      ...Object.fromEntries(bulk.groups.filter((g) => g.keys[0].startsWith('A-T')).map((g) => [keysOf(g), ['skipped', 'review']])),
    })
    expect(bulk.groups.filter((g) => g.keys[0].startsWith('A-T')).flatMap((g) => g.keys).sort()).toEqual(tula(1, 11))
    expect(bulk.counts).toMatchObject({ merged: 0, planned: 2, failed: 0, skipped: { review: 2, distinct: 1, missing: 1, overlap: 0, limit: 0 } })
    expect(bulk.recheck).toBeNull()

    // a market's findings only: the group with D-5 (MSK) is routed to MSK, the others to no market
    const msk = JSON.parse(sverka('merge', '--from-findings', 'address-duplicate', '--market', 'MSK', '--dry-run', '--json').stdout) as Bulk
    expect(msk.groups.map(keysOf)).toEqual(['A-4,A-5'])
    const spb = sverka('merge', '--from-findings', 'address-duplicate', '--market', 'SPB', '--dry-run')
    expect(spb.code, spb.stderr).toBe(0)
    expect(spb.stdout).toContain('Открытых находок этого правила нет.')
    expect(await inDb(state)).toEqual(before)
  })

  it('--from-findings merges the unambiguous groups, re-checks once so their findings resolve, and writes the report', async () => {
    const report = join(tempDir(), 'merge-report.csv')
    const r = sverka('merge', '--from-findings', 'address-duplicate', '--report', report, '--as-of', asOf)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Объединение по находкам правила address-duplicate$/m)
    expect(r.stdout).toMatch(/^групп 6 · объединено 2 · пропущено 4 · не удалось 0$/m)
    expect(r.stdout).toMatch(/^пропущены: группа разбита правилом на части, нужен разбор — 2 · участника уже нет — 1 · участники отмечены «не дубликат» — 1$/m)
    expect(r.stdout).toMatch(/находки объединённых групп устранены: 2 из 2$/m)
    expect(r.stdout).toMatch(/^\S+\s+объединено\s+A-4\s+A-4, A-5$/m)
    expect(r.stdout).toMatch(/^\S+\s+пропущено\s+A-8, A-9\s+участники отмечены «не дубликат»: A-8\/A-9$/m)
    expect(r.stdout).toContain(`отчёт по группам записан в ${report}`)

    const rows = readCsv(readFileSync(report), ',')
    expect(rows[0]).toEqual(['finding', 'fingerprint', 'rule', 'outcome', 'reason', 'survivor', 'members', 'merge', 'ms', 'detail'])
    const byMembers = Object.fromEntries(rows.slice(1).map((row) => [row[6], row]))
    expect(rows).toHaveLength(7)
    expect(byMembers['A-4;A-5']).toMatchObject({ 2: 'address-duplicate', 3: 'merged', 4: '', 5: 'A-4', 7: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(byMembers['A-10;A-11']).toMatchObject({ 3: 'skipped', 4: 'missing', 9: 'A-11' })

    const s = await inDb(state)
    expect(s.addresses).toEqual(expect.not.arrayContaining(['A-5', 'A-7']))
    expect(s.addresses).toEqual(expect.arrayContaining(['A-4', 'A-6', 'A-8', 'A-9', 'A-10', ...tula(1, 11)]))
    expect(s.contracts['D-5']).toBe('A-4')
    expect(s.aliases).toEqual({ 'A-3': 'A-1', 'A-5': 'A-4', 'A-7': 'A-6' })
    const status = Object.fromEntries(s.duplicates.map((d) => [d.keys, d.status]))
    expect(status).toMatchObject({ 'A-4,A-5': 'RESOLVED', 'A-6,A-7': 'RESOLVED', 'A-8,A-9': 'NEW' })
    // the stored merges name their finding, whose history says it was merged
    const events = await inDb(async (db) => (await db.sql.query<{ action: string; keys: string }>(`
      SELECT e.action, e.data->>'survivor' || '<' || (e.data->'members'->>0) AS keys FROM finding_event e JOIN record_merge m ON m."findingId" = e."findingId"
      WHERE e.action = 'merged' ORDER BY 2`)).rows)
    expect(events).toEqual([{ action: 'merged', keys: 'A-4<A-5' }, { action: 'merged', keys: 'A-6<A-7' }])

    // nothing left to merge: the groups now skipped stay as they were
    const again = JSON.parse(sverka('merge', '--from-findings', 'address-duplicate', '--json', '--as-of', asOf).stdout) as Bulk
    expect(again.counts).toMatchObject({ groups: 4, merged: 0, failed: 0 })
  })

  it('an import of the same files afterwards re-creates no merged member and moves no contract back', async () => {
    const r = sverka('import', csvDir)
    expect(r.code, r.stderr).toBe(0)
    // contracts.csv still names: the aliases land on the survivors, which hold the contracts already
    expect(r.stdout).toMatch(/^contracts\.csv\s+4\s+0\s+0\s+4\s+0\s*$/m)
    const s = await inDb(state)
    // A-11 was deleted, not merged: the file brings it back; the merged members stay aliases
    expect(s.addresses).toEqual(expect.not.arrayContaining(['A-3', 'A-5', 'A-7']))
    expect(s.addresses).toContain('A-11')
    expect(s.contracts).toMatchObject({ 'D-3': 'A-1', 'D-5': 'A-4' })
    expect(s.aliases).toEqual({ 'A-3': 'A-1', 'A-5': 'A-4', 'A-7': 'A-6' })
  })
})

describe.runIf(backends.includes('postgres'))('sverka merge --from-findings (PostgreSQL: merges side by side)', { timeout: 600_000 }, () => {
  let db: TestDatabase
  const run = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' }
    delete env.REDIS_URL
    delete env.VITEST
    return spawnSync(process.execPath, ['src/cli/sverka.mjs', ...args], { env, encoding: 'utf8', timeout: 120_000 })
  }

  beforeAll(async () => {
    db = await testDatabase('postgres')
    const dir = writeFiles(tempDir(), files())
    expect(run('import', dir).status).toBe(0)
    expect(run('audit', '--as-of', asOf, '--format', 'json').status).toBe(0)
    await afterAudit(db)
  }, 300_000)
  afterAll(async () => { await db?.close() })

  it('merges every unambiguous group (A-1/A-3 too) with four at a time, and their findings resolve', async () => {
    const r = run('merge', '--from-findings', 'address-duplicate', '--json', '--as-of', asOf, '--concurrency', '4')
    expect(r.status, r.stderr).toBe(0)
    const bulk = JSON.parse(r.stdout) as Bulk
    expect(bulk.groups.filter((g) => g.outcome === 'merged').map((g) => [keysOf(g), g.survivor]).sort()).toEqual([
      ['A-1,A-3', 'A-1'], ['A-4,A-5', 'A-4'], ['A-6,A-7', 'A-6'],
    ])
    expect(bulk.counts).toMatchObject({ groups: 7, merged: 3, failed: 0, skipped: { review: 2, distinct: 1, missing: 1 } })
    expect(bulk.resolvedGroups).toBe(3)
    const s = await state(db)
    expect(s.aliases).toEqual({ 'A-3': 'A-1', 'A-5': 'A-4', 'A-7': 'A-6' })
    expect(s.contracts).toMatchObject({ 'D-3': 'A-1', 'D-5': 'A-4' })
    expect(s.merges.map((m) => m.survivor)).toEqual(['A-1', 'A-4', 'A-6'])
  })
})
