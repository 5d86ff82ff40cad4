// The migration of the street named by a type word («ул. Набережная», «Набережная ул», a lone «Набережная») does what
// the code now does for new addresses, where the stored columns and the text alone say it.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeAddress } from '../../src/addresses/parse.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { keysOf } from '../helpers/address-keys.ts'

const MIGRATION = 'prisma/migrations/20261205210000_street_named_by_type/migration.sql'

interface Stored { text: string; street: string | null; streetType: string | null; streetName: string | null; normalized: string }

// as the parser before this reading stored them (`street` as the importer derives it when no street cell is given)
const cases: Record<string, Stored> = {
  'A-NAB-UL': { text: 'г. Омск, ул. Набережная, д. 77', street: 'наб', streetType: 'наб', streetName: null, normalized: 'омск|наб||77|||' },
  'A-NAB-ULICA': { text: 'г. Волжский, улица Набережная, дом 103, квартира 37', street: 'наб', streetType: 'наб', streetName: null, normalized: 'волжский|наб||103|||кв37' },
  'A-NAB-POST': { text: 'г. Омск, Набережная ул, д. 77, кв. 3', street: 'ул', streetType: 'ул', streetName: null, normalized: 'омск|ул||77|||кв3' },
  'A-NAB-POST-NOCOMMA': { text: 'г Омск НАБЕРЕЖНАЯ УЛИЦА 5', street: 'ул', streetType: 'ул', streetName: null, normalized: 'омск|ул||5|||' },
  'A-NAB-CELL': { text: 'г. Омск, д. 77', street: 'Набережная ул', streetType: 'наб', streetName: 'ул', normalized: 'омск|наб|ул|77|||' },
  'A-NAB-LONE': { text: 'дер. Марьино, Набережная, д. 5', street: 'наб', streetType: 'наб', streetName: null, normalized: 'марьино|наб||5|||' },
  'A-NAB-EMB': { text: 'Санкт-Петербург, Университетская наб., 7', street: 'наб Университетская', streetType: 'наб', streetName: 'Университетская', normalized: 'санкт петербург|наб|университетская|7|||' },
  'A-NAB-FONTANKA': { text: 'Санкт-Петербург, набережная реки Фонтанки, 90к3', street: 'наб реки Фонтанки', streetType: 'наб', streetName: 'реки Фонтанки', normalized: 'санкт петербург|наб|реки фонтанки|90|к3||' },
  'A-NAB-NONE': { text: 'г. Омск, ул. Ленина, д. 5', street: 'ул Ленина', streetType: 'ул', streetName: 'Ленина', normalized: 'омск|ул|ленина|5|||' },
}

describe.each(backends)('the street-named-by-type migration of stored addresses on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('rewrites the stored street and keys into what the code gives now, and leaves others alone', async () => {
    for (const [code, c] of Object.entries(cases)) {
      const k = keysOf(c.normalized)
      await db.sql.query(`INSERT INTO address (code, text, street, "streetType", "streetName", normalized, "houseKey", "streetKey", "blockKey", "updatedAt")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`, [code, c.text, c.street, c.streetType, c.streetName, c.normalized, k.houseKey, k.streetKey, k.blockKey])
    }
    await db.sql.exec(readFileSync(MIGRATION, 'utf8'))
    const { rows } = await db.sql.query<{ code: string; street: string | null; streetType: string | null; streetName: string | null; normalized: string; houseKey: string; streetKey: string; blockKey: string }>(
      `SELECT code, street, "streetType", "streetName", normalized, "houseKey", "streetKey", "blockKey" FROM address WHERE code LIKE 'A-%' ORDER BY code`)
    expect(rows).toHaveLength(Object.keys(cases).length)
    for (const row of rows) {
      const c = cases[row.code]
      const cell = c.street !== null && c.street !== c.streetType && c.street !== [c.streetType, c.streetName].join(' ') ? c.street : null
      const now = normalizeAddress({ text: c.text, street: cell })
      const street = cell ?? ([now.parts.streetType, now.parts.streetName].filter(Boolean).join(' ') || null)
      expect(row).toEqual({ code: row.code, street, streetType: now.parts.streetType, streetName: now.parts.streetName,
        normalized: now.normalized, houseKey: now.houseKey, streetKey: now.streetKey, blockKey: now.blockKey })
    }
    expect(rows.find((r) => r.code === 'A-NAB-UL')!.normalized).toBe('омск|ул|набережная|77|||')
    expect(rows.find((r) => r.code === 'A-NAB-LONE')!.normalized).toBe('марьино||набережная|5|||')
  })
})
