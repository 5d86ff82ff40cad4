// The schema: imports every type module (each registers its types, queries and mutations) and builds it.
import { lexicographicSortSchema, printSchema } from 'graphql'
import { builder } from '../builder.ts'
import './common.ts'
import './market.ts'
import './equipment-type.ts'
import './product.ts'
import './customer.ts'
import './address.ts'
import './contract.ts'
import './equipment.ts'
import './entity.ts'
import './master-data-mutations.ts'
import './finding.ts'
import './incident.ts'
import './audit.ts'
import './rule.ts'
import './search.ts'
import './api-key.ts'
import './report.ts'
import './report-findings.ts'
import './report-quality.ts'
import './schedule.ts'
import './merge.ts'

export const schema = builder.toSchema()

/** The schema as SDL, sorted: what schema.graphql holds. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`
}
