// The console's typed operations (web/src/gql/) are what graphql-codegen makes from schema.graphql and the
// operations in web/src: a change to either without `npm run web:codegen` fails here, as schema.graphql's own test does.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GENERATED_DIR, generatedFiles } from '../../web/codegen.ts'

describe('web/src/gql', () => {
  it('matches what graphql-codegen generates now (run `npm run web:codegen` after changing the schema or an operation)', async () => {
    const generated = await generatedFiles()
    expect(generated.size).toBeGreaterThan(0)
    const committed = readdirSync(GENERATED_DIR).map((name) => join(GENERATED_DIR, name)).sort()
    expect(committed).toEqual([...generated.keys()].sort())
    for (const [path, content] of generated) expect(readFileSync(path, 'utf8'), path).toBe(content)
  }, 60_000)
})
