// Import rows that meet a merge: a row keyed by an alias (a merged member's key) and a row of a survivor. The member
// is never re-created: its row changes the survivor only in the columns where it differs from what was last seen
// under the alias (record_alias.values, then set to the row); and a survivor's own row does not take away a value
// one of its members brought while that member's last row still says so. docs/merging.md «Aliases» has the rule.
import type { SqlClient } from '../db/database.ts'
import { ALIAS_RU } from '../i18n/ru-records.ts'
import { aliasesOfType, setAliasValues, type AliasEntry } from '../merge/aliases.ts'
import { isMergeableType, type MergeableType } from '../merge/types.ts'
import { checkedRecord, parseRecord } from '../records/check.ts'
import { columnsOf, type ColumnSpec, type ParsedRow, type RecordSpec } from '../records/model.ts'
import { parseCell, RowRejected, type PendingRow } from '../records/parse.ts'
import { resolveReferences } from '../records/references.ts'
import { storedValues, type RecordValues } from '../records/stored.ts'
import type { ReferenceIds, UpsertPlan } from '../records/write-plan.ts'
import { buildPlan } from '../records/write-plan.ts'

/** Comparable values of a record, per import column: cells as parsed, an address's parts as derived. */
type Comparable = Map<string, string | null>

/** What an alias row comes to: the survivor written as a whole record, or nothing to write, or a rejection. */
export type AliasOutcome =
  | { kind: 'write'; survivor: string; pending: PendingRow; ids: ReferenceIds; plan: UpsertPlan; values: Record<string, string | null> }
  | { kind: 'unchanged' }
  | { kind: 'reject'; column: string; reason: string }

/** The aliases of one record type during the import of its file. */
export class AliasRows {
  private readonly byTarget = new Map<string, AliasEntry[]>()
  private readonly comparable = new Map<AliasEntry, Comparable>()
  private plan: UpsertPlan | undefined

  private constructor(readonly spec: RecordSpec, readonly type: MergeableType, private readonly aliases: Map<string, AliasEntry>) {
    for (const entry of aliases.values()) {
      const list = this.byTarget.get(entry.target)
      if (list) list.push(entry)
      else this.byTarget.set(entry.target, [entry])
    }
  }

  /** The aliases of the file's record type; null when it has none (nothing merged: the file is read as ever). */
  static async load(sql: SqlClient, spec: RecordSpec): Promise<AliasRows | null> {
    if (!isMergeableType(spec.entity)) return null
    const aliases = await aliasesOfType(sql, spec.entity)
    return aliases.size === 0 ? null : new AliasRows(spec, spec.entity, aliases)
  }

  /** Whether the type has any alias (a file of it is then never bulk loaded). */
  static async any(sql: SqlClient, spec: RecordSpec): Promise<boolean> {
    if (!isMergeableType(spec.entity)) return false
    const { rows } = await sql.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM record_alias WHERE "entityType" = $1) AS any`, [spec.entity])
    return rows[0].any
  }

  isAlias(key: string): boolean {
    return this.aliases.has(key)
  }

  /**
   * A survivor's own rows: a column whose stored value one of its aliases' last rows also holds (a member brought
   * it, by the merge's field choice or a later row) keeps that value instead of the row's. Without this a file
   * holding both rows would flip the survivor back and forth, import after import.
   */
  async keepMembersValues(sql: SqlClient, rows: PendingRow[], header: ReadonlyMap<string, number>): Promise<void> {
    for (const r of rows) {
      const aliases = this.byTarget.get(r.key)
      if (!aliases) continue
      // what is written may be a member's value, not the row's: no hash then, or a re-import would skip on it
      r.hash = undefined
      const stored = await storedValues(sql, this.type, r.key)
      if (!stored) continue
      const have = this.comparableOf(stored)
      const given = this.comparableOf(r.row)
      let kept = false
      for (const column of this.columns(header)) {
        const value = have.get(column.csv) ?? null
        if (given.get(column.csv) === value) continue
        if (!aliases.some((a) => (this.ofAlias(a).get(column.csv) ?? null) === value)) continue
        r.row[column.csv] = parseCell(column, cellText(stored[column.csv]))
        kept = true
      }
      if (kept) r.derived = this.spec.derived?.compute(r.row)
    }
  }

  /** What a row keyed by an alias does to the survivor (nothing is written here). */
  async outcome(sql: SqlClient, r: PendingRow, header: ReadonlyMap<string, number>): Promise<AliasOutcome> {
    const alias = this.aliases.get(r.key)!
    const given = this.comparableOf(r.row)
    const last = this.ofAlias(alias)
    const changed = this.columns(header).filter((c) => (given.get(c.csv) ?? null) !== (last.get(c.csv) ?? null))
    if (changed.length === 0) return { kind: 'unchanged' }
    const stored = await storedValues(sql, this.type, alias.target)
    if (!stored) return { kind: 'reject', column: this.spec.key.csv, reason: ALIAS_RU.survivorGone(alias.target) }
    const values: RecordValues = { ...stored }
    for (const c of changed) values[c.csv] = r.row[c.csv] ?? null
    values[this.spec.key.csv] = alias.target
    const { row, fields, problems } = parseRecord(this.spec, values)
    if (problems.length > 0) return { kind: 'reject', column: problems[0].column.csv, reason: problems[0].reason }
    let ids: ReferenceIds
    try {
      ids = await resolveReferences(sql, this.spec.columns, row)
    } catch (e) {
      if (e instanceof RowRejected) return { kind: 'reject', column: e.column, reason: e.reason }
      throw e
    }
    const checked = checkedRecord(this.spec, row, fields, ids)
    this.plan ??= buildPlan(this.spec, checked.header)
    const seen: Record<string, string | null> = { ...alias.values }
    for (const c of this.columns(header)) seen[c.csv] = cellText(r.row[c.csv]) || null
    return { kind: 'write', survivor: alias.target, pending: checked.pending, ids, plan: this.plan, values: seen }
  }

  /** After the survivor is written: the row becomes what was last seen under the alias. */
  async remember(tx: SqlClient, alias: string, values: Record<string, string | null>): Promise<void> {
    await setAliasValues(tx, this.type, new Map([[alias, values]]))
    const entry = this.aliases.get(alias)!
    entry.values = values
    this.comparable.delete(entry)
  }

  /** The import columns of the file but the key: those a row can change. */
  private columns(header: ReadonlyMap<string, number>): ColumnSpec[] {
    return columnsOf(this.spec).filter((c) => c !== this.spec.key && header.has(c.csv))
  }

  private ofAlias(entry: AliasEntry): Comparable {
    let values = this.comparable.get(entry)
    if (!values) this.comparable.set(entry, (values = this.comparableOf(entry.values)))
    return values
  }

  /**
   * Values as they compare: each cell parsed (trimmed, empty as null, an enum upper-cased), and a part given beside
   * an address's text as what it comes to once derived (a stored record reads it back as null when the text alone
   * yields it; a file may spell it out).
   */
  private comparableOf(values: RecordValues | ParsedRow): Comparable {
    const out: Comparable = new Map()
    const parsed: ParsedRow = {}
    for (const column of columnsOf(this.spec)) {
      const text = cellText(values[column.csv])
      let value: string | null | string[]
      try {
        value = parseCell(column, text)
      } catch {
        value = text.trim() || null // a value the record model refuses still compares as given
      }
      parsed[column.csv] = value
      out.set(column.csv, Array.isArray(value) ? value.join(';') : value)
    }
    const parts = columnsOf(this.spec).filter((c) => c.readBack !== undefined)
    if (parts.length > 0 && this.spec.derived) {
      const derived = this.spec.derived.compute(parsed)
      for (const c of parts) out.set(c.csv, derived[c.readBack!] ?? null)
    }
    return out
  }
}

function cellText(value: string | readonly string[] | null | undefined): string {
  return value == null ? '' : typeof value === 'string' ? value : value.join(';')
}
