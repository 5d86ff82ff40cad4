// Merging duplicates (SPEC «Merging duplicates»): the shapes shared by the merge itself (merge.ts, preview.ts,
// unmerge.ts), aliases (aliases.ts), «not a duplicate» marks (distinct.ts), the GraphQL layer, the CLI and the console.
import type { EntityRef } from '../records/model.ts'
import type { ReportFinding } from '../engine/findings.ts'
import type { Severity } from '../engine/types.ts'

/** The record types that can be merged: those a duplicate rule groups. */
export type MergeableType = 'address' | 'customer'
export const MERGEABLE_TYPES: readonly MergeableType[] = ['address', 'customer']

export function isMergeableType(value: unknown): value is MergeableType {
  return value === 'address' || value === 'customer'
}

/** What a merge is asked to do. */
export interface MergeInput {
  type: MergeableType
  /** two or more business keys (an alias stands for its record); the survivor is one of them */
  keys: string[]
  /** the survivor; absent: proposed (most complete, then most links, then oldest, then the smallest key) */
  survivor?: string
  /** per import column (e.g. `phone`, `text`), the key of the member whose value the survivor takes */
  fields?: Record<string, string>
  /** the token a preview returned: the merge fails cleanly (Conflict) when any member changed since */
  version?: string
  /** the duplicate finding the merge is made from (its history gets a `merged` event) */
  findingId?: string
}

/** Why the survivor was proposed, in the SPEC's order. */
export type SurvivorReason = 'chosen' | 'complete' | 'links' | 'oldest' | 'key'

/** One member of a group as a merge sees it. */
export interface MergeMember {
  key: string
  /** import values (the columns of the type's CSV), as stored */
  values: Record<string, string | null>
  /** how many of the import columns are filled */
  filled: number
  contracts: number
  devices: number
  incidents: number
  createdAt: Date
}

/** One import column of the merged record: every member's value and the one taken. */
export interface MergeField {
  /** import column, e.g. `phone` */
  field: string
  /** the key of the member whose value is taken */
  from: string
  value: string | null
  /** each member's value, in the members' order */
  options: Array<{ key: string; value: string | null }>
  /** the members do not all agree */
  differs: boolean
}

/** A record a merge moves to the survivor. */
export interface MergeMove {
  /** contract, equipment or incident */
  type: 'contract' | 'equipment' | 'incident'
  /** business key (an incident: its id) */
  key: string
  /** the column that changes: customer or address */
  field: 'customer' | 'address'
  /** the member it referred to */
  from: string
}

/** A finding a merge would make appear. */
export interface AppearingFinding {
  fingerprint: string
  ruleId: string
  severity: Severity
  message: string
  entities: EntityRef[]
}

export interface MergePreview {
  type: MergeableType
  survivor: string
  /** the survivor the SPEC's order proposes (equal to `survivor` unless one was chosen) */
  proposed: string
  reason: SurvivorReason
  /** survivor first, then the others in the order they were given */
  members: MergeMember[]
  fields: MergeField[]
  moves: MergeMove[]
  /** open findings (those the caller sees) the merge resolves */
  resolving: ReportFinding[]
  /** findings (those the caller would see) the merge makes appear */
  appearing: AppearingFinding[]
  /** optimistic token: pass it to mergeRecords as `version` */
  version: string
}

/** A stored merge, as people and the API see it. */
export interface MergeRecord {
  id: string
  type: MergeableType
  survivor: string
  members: string[]
  actor: string
  at: Date
  findingId: string | null
  fields: Record<string, string>
  moves: MergeMove[]
  undoneAt: Date | null
  undoneBy: string | null
}

export interface MergeResult {
  merge: MergeRecord
  /** every record the merge touched (survivor, members, moved records): what the re-check ran on */
  changes: EntityRef[]
  /** findings the merge resolved / caused (those the caller sees); empty when the re-check was skipped or queued */
  resolved: ReportFinding[]
  caused: ReportFinding[]
  recheckQueued?: boolean
}

/** A «not a duplicate» mark: two records a person says are distinct. */
export interface DistinctMarkRecord {
  id: number
  type: MergeableType
  /** the pair, keyA < keyB */
  keys: [string, string]
  reason: string
  actor: string
  createdAt: Date
  findingId: string | null
  removedAt: Date | null
  removedBy: string | null
  removeReason: string | null
}
