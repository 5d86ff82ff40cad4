// Pattern conditions pushed down to SQL must mean in PostgreSQL exactly what they mean in JS (holds), or not be
// pushed down at all: a detector filters rows with the SQL and re-checks only the rows that come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conditionSql, holds, postgresPattern, type Condition } from '../../src/engine/conditions.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'

const PATTERNS = ['^\\d{6}$', '^[0-9]{3}-[0-9]{2}$', '^(кв|оф)\\.? ?\\d+$', '^[A-F0-9]{2}(:[A-F0-9]{2}){5}$', 'ё', '^\\d+$', '[^0-9]', '^a?b*c+$', '^\\d{2,4}$', '\\d{3,}']
const VALUES = ['123456', '12345', '1234567', '١٢٣٤٥٦', '１２３４５６', '123-45', 'кв. 5', 'кв5', 'оф 12', 'КВ 5', 'AA:BB:CC:DD:EE:FF', 'aa:bb:cc:dd:ee:ff',
  'ёж', 'еж', '', ' 123456', '123456\n', '123456 ', 'abc', 'bc', 'ac', 'c', '12', '1234', '12345', '۱۲۳', null]

describe('postgresPattern', () => {
  it('rewrites the shapes rules use and refuses what the dialects read differently', () => {
    expect(postgresPattern('^\\d{6}$')).toBe('^[0-9]{6}$')
    expect(postgresPattern('^(кв|оф)\\.? ?\\d+$')).toBe('^(кв|оф)\\.? ?[0-9]+$')
    for (const p of ['a.b', '\\w+', '\\s', '\\bx', '(?=x)', '(?<n>x)', 'a+?', '^[а-я]+$', '(a)\\1', 'a{2,}?', 'x^', '$x', '[[:digit:]]', '***:a', '(a']) {
      expect(postgresPattern(p), p).toBeNull()
    }
  })
})

describe.each(backends)('pattern pushdown on %s', (backend) => {
  let db: TestDatabase
  beforeAll(async () => { db = await testDatabase(backend) })
  afterAll(async () => { await db.close() })

  it('holds in SQL exactly where it holds in JS, for every pattern that translates', async () => {
    let compared = 0
    for (const pattern of PATTERNS) {
      for (const op of ['matches', 'notMatches'] as const) {
        const c = { field: 'v', op, pattern } as Condition
        const params: unknown[] = []
        const sql = conditionSql(c, () => 't.v', (value) => { params.push(value); return `$${params.length + 1}` }, '2026-01-31')
        expect(sql, pattern).not.toBeNull()
        const { rows } = await db.sql.query<{ v: string | null; ok: boolean }>(
          `SELECT t.v, coalesce(${sql}, false) AS ok FROM unnest($1::text[]) AS t(v)`, [VALUES, ...params])
        for (const row of rows) {
          expect(row.ok, `${JSON.stringify(row.v)} ${op} /${pattern}/`).toBe(holds(c, { v: row.v }, '2026-01-31'))
          compared++
        }
      }
    }
    expect(compared).toBe(PATTERNS.length * 2 * VALUES.length)
  })
})
