// The committed schema.graphql is the schema the code builds: a change to the API shows in review.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { printedSchema } from '../../src/graphql/schema/index.ts'

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run schema` after changing the API)', () => {
    expect(readFileSync('schema.graphql', 'utf8')).toBe(printedSchema())
  })
})
