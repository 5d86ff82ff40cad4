// The migration that folded name words in the stored address keys does what the code now does for new
// addresses: for every word of NAME_WORD_FOLDS, keys written the old way become the keys normalizeAddress gives.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeAddress } from '../../src/addresses/parse.ts'
import { NAME_WORD_FOLDS } from '../../src/addresses/vocabulary.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const MIGRATION = 'prisma/migrations/20261127171000_name_word_folds/migration.sql'

describe.each(backends)('the name-word fold of stored address keys on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db?.close() })

  it('rewrites keys stored before it into the keys the code gives now, city and street, and leaves others alone', async () => {
    const cases = [...NAME_WORD_FOLDS.keys()].map((word, i) => ({
      code: `A-FOLD-${i}`,
      // the old keys kept the word as written (folded to lower case)
      text: `г. Москва, ул. ${word[0].toUpperCase()}${word.slice(1)} Садовая, д. 10, кв. 5`,
      old: { normalized: `москва|ул|${word} садовая|10|||кв5`, houseKey: `москва|ул|${word} садовая|10||`, streetKey: `москва|ул|${word} садовая`, blockKey: 'москва|ул|10|||кв5' },
    }))
    cases.push({
      code: 'A-FOLD-CITY', text: 'г. Нижний Новгород, ул. Большая Покровская, д. 5',
      old: { normalized: 'нижний новгород|ул|большая покровская|5|||', houseKey: 'нижний новгород|ул|большая покровская|5||', streetKey: 'нижний новгород|ул|большая покровская', blockKey: 'нижний новгород|ул|5|||' },
    }, {
      code: 'A-FOLD-NONE', text: 'г. Москва, ул. Ленина, д. 5, кв. 12',
      old: { normalized: 'москва|ул|ленина|5|||кв12', houseKey: 'москва|ул|ленина|5||', streetKey: 'москва|ул|ленина', blockKey: 'москва|ул|5|||кв12' },
    })
    for (const c of cases) {
      await db.sql.query(`INSERT INTO address (code, text, normalized, "houseKey", "streetKey", "blockKey", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [c.code, c.text, c.old.normalized, c.old.houseKey, c.old.streetKey, c.old.blockKey])
    }
    await db.sql.exec(readFileSync(MIGRATION, 'utf8'))
    const { rows } = await db.sql.query<{ code: string; normalized: string; houseKey: string; streetKey: string; blockKey: string }>(
      `SELECT code, normalized, "houseKey", "streetKey", "blockKey" FROM address WHERE code LIKE 'A-FOLD-%' ORDER BY code`)
    const stored = new Map(rows.map((r) => [r.code, r]))
    for (const c of cases) {
      const now = normalizeAddress({ text: c.text })
      expect([c.code, stored.get(c.code)]).toEqual([c.code, { code: c.code, normalized: now.normalized, houseKey: now.houseKey, streetKey: now.streetKey, blockKey: now.blockKey }])
    }
    // the fold took place: «большая» is «б» now, in the city as in the street
    expect(stored.get('A-FOLD-CITY')!.streetKey).toBe('ниж новгород|ул|б покровская')
  })
})
