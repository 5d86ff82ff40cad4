// The plan of a re-check stays around the change: an address in an established settlement brings in its own blocks,
// not every address of the settlement. (A settlement's house count was stopped at the bound it was then compared
// with, so every settlement passed for «few houses», and one address of a city re-ran the duplicate rule whole —
// 8 s a re-check, and a merge's preview, at a million addresses.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importDirectory } from '../../src/import/importer.ts'
import { prepareRecheck, serializePlan } from '../../src/engine/incremental.ts'
import { csv, tempDir, writeFiles } from '../helpers/csv.ts'
import { testDatabase, type TestDatabase } from '../helpers/db.ts'

const HEADER = ['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code']

describe('re-check plan of the address duplicate rule', () => {
  let db: TestDatabase

  beforeAll(async () => {
    db = await testDatabase('pglite')
    const rows: string[][] = []
    // a city of five houses (more than cityTypoMaxHouses + 1 = 3) with four flats each
    for (let h = 1; h <= 5; h++) for (let f = 1; f <= 4; f++) rows.push([`A-N-${h}-${f}`, `г. Новосибирск, ул. Весенняя, д. ${h}, кв. ${f}`, '', '', '', '', '', '', ''])
    // a village of two houses: one letter off in its name is a slip, so its other addresses are in the plan
    rows.push(['A-G-1', 'дер. Горки, ул. Новая, д. 1', '', '', '', '', '', '', ''])
    rows.push(['A-G-2', 'дер. Горки, ул. Новая, д. 2', '', '', '', '', '', '', ''])
    await importDirectory(db, writeFiles(tempDir(), { 'addresses.csv': csv(HEADER, rows) }))
  })
  afterAll(() => db?.close())

  const planOf = async (key: string) => serializePlan(await prepareRecheck(db, [{ type: 'address', key }])).rules['address-duplicate']

  it('an address of an established settlement: its own blocks, not the settlement', async () => {
    const plan = await planOf('A-N-3-2')
    expect(plan.whole).toBe(false)
    expect(plan.keys).toEqual(['A-N-3-2'])
  })

  it('an address of a settlement on few houses: the settlement\'s addresses too (a slip in its name is looked for)', async () => {
    const plan = await planOf('A-G-1')
    expect(plan.whole).toBe(false)
    expect([...plan.keys].sort()).toEqual(['A-G-1', 'A-G-2'])
  })
})
