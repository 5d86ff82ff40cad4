// Writes schema.graphql from the Pothos schema: `npm run schema`. A test fails when the file drifts.
import { writeFileSync } from 'node:fs'
import { printedSchema } from '../src/graphql/schema/index.ts'

writeFileSync('schema.graphql', printedSchema())
console.log('schema.graphql written')
