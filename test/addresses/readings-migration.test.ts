// The migration of issue 15's address readings does what the code now does for new addresses, where the stored
// columns alone say it: trailing ordinals key like leading ones, house «0» is no house, a Zelenograd корпус is the house.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeAddress } from '../../src/addresses/parse.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { keysOf } from '../helpers/address-keys.ts'

const MIGRATION = 'prisma/migrations/20261205180000_address_readings/migration.sql'

interface Stored { text: string; city: string | null; streetName: string | null; house: string | null; building: string | null; normalized: string }

// as the parser before issue 15 stored them
const cases: Record<string, Stored> = {
  'A-ORD-AFTER': { text: 'г. Москва, ул. Парковая 9-я, д. 4', city: 'Москва', streetName: 'Парковая 9-я', house: '4', building: null, normalized: 'москва|ул|парковая 9|4|||' },
  'A-ORD-GLUED': { text: 'г. Москва, Сельский 2й пер., 3, кв. 5', city: 'Москва', streetName: 'Сельский 2й', house: '3', building: null, normalized: 'москва|пер|сельский 2|3|||кв5' },
  'A-ORD-BEFORE': { text: 'г. Москва, 9-я Парковая ул., 4', city: 'Москва', streetName: '9-я Парковая', house: '4', building: null, normalized: 'москва|ул|9 парковая|4|||' },
  'A-ORD-LINE': { text: 'Санкт-Петербург, 5-я линия В.О., д. 10', city: 'Санкт-Петербург', streetName: '5-я', house: '10', building: null, normalized: 'санкт петербург|линия|5|10|||' },
  'A-ZERO': { text: 'Москва, ул. Ленина, д. 0, кв. 3', city: 'Москва', streetName: 'Ленина', house: '0', building: null, normalized: 'москва|ул|ленина|0|||кв3' },
  'A-ZELENOGRAD': { text: 'Зеленоград, к. 1106, кв. 45', city: 'Зеленоград', streetName: null, house: null, building: '1106', normalized: 'зеленоград||||к1106||кв45' },
  'A-NONE': { text: 'г. Москва, ул. 8 Марта, д. 5, корп. 2', city: 'Москва', streetName: '8 Марта', house: '5', building: '2', normalized: 'москва|ул|8 марта|5|к2||' },
}

describe.each(backends)('the address readings migration of stored addresses on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('rewrites the stored keys and parts into what the code gives now, and leaves others alone', async () => {
    for (const [code, c] of Object.entries(cases)) {
      const k = keysOf(c.normalized)
      await db.sql.query(`INSERT INTO address (code, text, city, "streetName", house, building, normalized, "houseKey", "streetKey", "blockKey", "updatedAt")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())`, [code, c.text, c.city, c.streetName, c.house, c.building, c.normalized, k.houseKey, k.streetKey, k.blockKey])
    }
    await db.sql.exec(readFileSync(MIGRATION, 'utf8'))
    const { rows } = await db.sql.query<{ code: string; house: string | null; building: string | null; normalized: string; houseKey: string; streetKey: string; blockKey: string }>(
      `SELECT code, house, building, normalized, "houseKey", "streetKey", "blockKey" FROM address WHERE code LIKE 'A-%' ORDER BY code`)
    expect(rows).toHaveLength(Object.keys(cases).length)
    for (const row of rows) {
      const now = normalizeAddress({ text: cases[row.code].text })
      expect(row).toEqual({ code: row.code, house: now.parts.house, building: now.parts.building, normalized: now.normalized, houseKey: now.houseKey, streetKey: now.streetKey, blockKey: now.blockKey })
    }
    expect(rows.find((r) => r.code === 'A-ORD-AFTER')!.normalized).toBe('москва|ул|9 парковая|4|||')
  })
})
