// Stored rule overrides: switch a rule off or re-parameterise it without a release, validated
// against the catalogue, and the catalogue as it is in force (rule files plus overrides).
import type { Database } from '../db/database.ts'
import { InputError } from '../errors.ts'
import { loadCatalog } from './catalog.ts'
import { parseSeverity, SEVERITIES, type RuleMeta, type Severity } from './types.ts'
import { RULE_RU } from '../i18n/ru-errors.ts'

export interface StoredOverride {
  ruleId: string
  enabled: boolean | null
  severity: Severity | null
  params: unknown
}

export type Catalog = Awaited<ReturnType<typeof loadCatalog>>

/** What to change; a field left out keeps its stored value, `null` goes back to the rule file's. */
export interface OverrideChange {
  enabled?: boolean | null
  severity?: Severity | null
  params?: unknown
}

export async function listOverrides(db: Pick<Database, 'sql'>): Promise<StoredOverride[]> {
  const { rows } = await db.sql.query<StoredOverride>(
    `SELECT "ruleId", enabled, severity::text AS severity, params FROM rule_override ORDER BY "ruleId"`)
  // a value stored before the enum went upper case (a database restored from an old dump) is read as well
  return rows.map((r) => ({ ...r, severity: r.severity === null ? null : parseSeverity(r.severity) ?? r.severity }))
}

/** The catalogue in force: rule files with the stored overrides applied. */
export async function loadEffectiveCatalog(db: Pick<Database, 'sql'>, rulesDir?: string): Promise<Catalog> {
  return loadCatalog(rulesDir, await listOverrides(db))
}

/** Stores an override after checking the rule exists and the catalogue still loads with it; returns the rule as now in force. */
export async function setRuleOverride(
  db: Pick<Database, 'sql'>, ruleId: string, change: OverrideChange, actor: string, options: { rulesDir?: string } = {},
): Promise<RuleMeta> {
  if (change.severity != null) {
    const severity = parseSeverity(change.severity)
    if (!severity) throw new InputError(RULE_RU.unknownSeverity(String(change.severity), SEVERITIES))
    change = { ...change, severity }
  }
  const stored = await listOverrides(db)
  const files = await loadCatalog(options.rulesDir)
  requireRule(files, ruleId)
  const previous = stored.find((o) => o.ruleId === ruleId)
  const next: StoredOverride = {
    ruleId,
    enabled: change.enabled !== undefined ? change.enabled : previous?.enabled ?? null,
    severity: change.severity !== undefined ? change.severity : previous?.severity ?? null,
    params: change.params !== undefined ? change.params : previous?.params ?? null,
  }
  // the rule's kind validates the params: a bad override is refused now, not at the next night's audit
  const catalog = await loadCatalog(options.rulesDir, [...stored.filter((o) => o.ruleId !== ruleId), next])
  await db.sql.query(`
    INSERT INTO rule_override ("ruleId", enabled, severity, params, "updatedBy", "updatedAt")
    VALUES ($1, $2, $3::"Severity", $4::jsonb, $5, now())
    ON CONFLICT ("ruleId") DO UPDATE SET enabled = EXCLUDED.enabled, severity = EXCLUDED.severity,
      params = EXCLUDED.params, "updatedBy" = EXCLUDED."updatedBy", "updatedAt" = now()`,
  [ruleId, next.enabled, next.severity, next.params == null ? null : JSON.stringify(next.params), actor])
  return requireRule(catalog, ruleId)
}

/** Drops a rule's override: the rule file is in force again. */
export async function clearRuleOverride(db: Pick<Database, 'sql'>, ruleId: string, options: { rulesDir?: string } = {}): Promise<RuleMeta> {
  const files = await loadCatalog(options.rulesDir)
  const rule = requireRule(files, ruleId)
  await db.sql.query('DELETE FROM rule_override WHERE "ruleId" = $1', [ruleId])
  return rule
}

export function requireRule(catalog: Catalog, ruleId: string): RuleMeta {
  const rule = catalog.get(ruleId)
  if (!rule) throw new InputError(RULE_RU.unknown(ruleId, catalog.rules.map((r) => r.id)))
  return rule
}
