// The rule catalogue: rule files discovered in rules/ (YAML, or TypeScript through defineRule), validated
// against the common schema and their kind's params schema, with stored overrides applied on top.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseDocument } from 'yaml'
import type { z } from 'zod'
import { InputError } from '../errors.ts'
import { moduleLogger } from '../logger.ts'
import { CUSTOM_KIND, isBuiltinKind } from './detectors/registry.ts'
import type { CustomRuleDefinition } from './define-rule.ts'
import { formatIssues, KNOWN_KINDS, kindParamsSchema, ruleCommonSchema } from './rule-schema.ts'
import { parseSeverity, type RuleMeta, type Severity } from './types.ts'
import { RULE_FILE_RU, RULE_RU } from '../i18n/ru-errors.ts'

const log = moduleLogger('catalog')

/** The rule catalogue in force, with its routing.yaml and sla.yaml: SVERKA_RULES_DIR, else the package's rules/. */
export const DEFAULT_RULES_DIR = process.env.SVERKA_RULES_DIR
  ? resolve(process.env.SVERKA_RULES_DIR)
  : fileURLToPath(new URL('../../rules', import.meta.url))

export interface Catalog {
  rules: RuleMeta[]
  get(id: string): RuleMeta | undefined
}

/** A stored override (table rule_override): null leaves the file's value. */
export interface RuleOverrideInput {
  ruleId: string
  enabled: boolean | null
  severity: Severity | null
  params: unknown
}

export interface FileCheck { file: string; ok: boolean; errors: string[] }

const RULE_FILE = /\.(ya?ml|ts)$/
// routing.yaml and sla.yaml live beside the rules but are the incidents module's configuration, not rules
export const NOT_A_RULE = /\.(d|test|spec)\.ts$|^(routing|sla)\.ya?ml$/

/** Every rule file of `dir` checked: schema, kind params, file name = id, ids unique across files. */
export async function validateRulesDir(dir: string): Promise<FileCheck[]> {
  const loaded = await readDir(dir)
  return loaded.map(({ file, errors }) => ({ file, ok: errors.length === 0, errors }))
}

/** The catalogue of `dir` with `overrides` applied; a broken rule file is an InputError naming file and field. */
export async function loadCatalog(dir: string = DEFAULT_RULES_DIR, overrides: RuleOverrideInput[] = []): Promise<Catalog> {
  const loaded = await readDir(dir)
  const errors = loaded.flatMap((l) => l.errors)
  if (errors.length > 0) throw new InputError(RULE_RU.badRuleFiles(errors.join('; ')))
  const byId = new Map(loaded.map((l) => [l.rule!.id, l.rule!]))
  for (const o of overrides) {
    const rule = byId.get(o.ruleId)
    if (!rule) {
      log.warn({ ruleId: o.ruleId }, 'override names no rule of the catalogue; ignored')
      continue
    }
    byId.set(o.ruleId, await applyOverride(rule, o))
  }
  const rules = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { rules, get: (id) => byId.get(id) }
}

/** `enabled` and `severity` replace, `params` are merged over the file's (shallow) and validated again. */
export async function applyOverride(rule: RuleMeta, o: RuleOverrideInput): Promise<RuleMeta> {
  const next: RuleMeta = { ...rule }
  if (o.enabled !== null) next.enabled = o.enabled
  // an override stored in the lower-case spelling of old is read as well
  if (o.severity !== null) next.severity = parseSeverity(o.severity) ?? o.severity
  if (o.params !== null && o.params !== undefined) {
    const base = isObject(rule.params) ? rule.params : {}
    const merged = isObject(o.params) ? { ...base, ...o.params } : o.params
    const schema = await paramsSchemaOfRule(rule)
    if (schema) {
      const parsed = schema.safeParse(merged)
      if (!parsed.success) throw new InputError(RULE_RU.badOverride(rule.id, formatIssues(parsed.error.issues, ['params']).join('; ')))
      next.params = parsed.data
    } else {
      next.params = merged
    }
  }
  return next
}

/** «{name}» replaced by data.name; null as «—»; unknown placeholders are left as written. */
export function interpolate(template: string, data: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{([^{}\s]+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(data, name)) return whole
    const v = data[name]
    return v === null || v === undefined ? '—' : String(v)
  })
}

/** The custom rule module behind a TypeScript rule of kind `custom`. */
export async function customRule(rule: RuleMeta): Promise<CustomRuleDefinition<z.ZodType>> {
  const mod = await import(pathToFileURL(rule.source).href) as { default?: CustomRuleDefinition<z.ZodType> }
  if (!mod.default || typeof mod.default.detect !== 'function') throw new Error(`${rule.source} exports no detect`)
  return mod.default
}

// ─── reading files ───

interface Loaded { file: string; rule?: RuleMeta; errors: string[] }

async function readDir(dir: string): Promise<Loaded[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => RULE_FILE.test(n) && !NOT_A_RULE.test(n)).sort()
  } catch (e) {
    throw new InputError(RULE_RU.cannotReadFolder(dir, (e as Error).message))
  }
  const loaded = await Promise.all(names.map((n) => readRuleOnce(resolve(dir, n))))
  const seen = new Map<string, string>()
  for (const l of loaded) {
    if (!l.rule) continue
    const first = seen.get(l.rule.id)
    if (first) l.errors.push(`${l.file}: id: ${RULE_FILE_RU.idTaken(l.rule.id, first)}`)
    else seen.set(l.rule.id, l.file)
  }
  return loaded.map((l) => (l.errors.length ? { file: l.file, errors: l.errors } : l))
}

// Each request that shows rule titles (an agent's card, the findings table) loads the catalogue: parsing and
// validating the files again each time cost 15–50 ms a request on the 2-core machine. A file is read again
// only when its modification time, change time or size (or the working directory its messages name it
// from) differ; the caller gets its own copy of the error list, which readDir appends to.
const readBefore = new Map<string, { stamp: string; loaded: Loaded }>()

async function readRuleOnce(path: string): Promise<Loaded> {
  let stamp: string
  try {
    const s = await stat(path)
    stamp = `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${process.cwd()}`
  } catch {
    return readRule(path)
  }
  let kept = readBefore.get(path)
  if (kept?.stamp !== stamp) readBefore.set(path, (kept = { stamp, loaded: await readRule(path) }))
  return { ...kept.loaded, errors: [...kept.loaded.errors] }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path)
  return rel.startsWith('..') ? path : rel
}

async function readRule(path: string): Promise<Loaded> {
  const file = displayPath(path)
  const fail = (errors: string[]): Loaded => ({ file, errors: errors.map((e) => `${file}: ${e}`) })
  let raw: unknown
  let custom: CustomRuleDefinition<z.ZodType> | undefined
  if (extname(path) === '.ts') {
    try {
      const mod = await import(pathToFileURL(path).href) as { default?: unknown }
      raw = mod.default
    } catch (e) {
      return fail([RULE_FILE_RU.cannotLoad((e as Error).message)])
    }
    if (!isObject(raw)) return fail([RULE_FILE_RU.noDefaultExport('defineRule({...})')])
    if (typeof raw.detect === 'function') {
      custom = raw as unknown as CustomRuleDefinition<z.ZodType>
      const { detect: _detect, paramsSchema: _schema, ...rest } = raw
      raw = { kind: CUSTOM_KIND, ...rest }
    }
  } else {
    const doc = parseDocument(await readFile(path, 'utf8'))
    if (doc.errors.length > 0) return fail(doc.errors.map((e) => RULE_FILE_RU.yamlLine(e.linePos?.[0].line ?? '?', e.message.split('\n')[0])))
    raw = doc.toJS()
    if (!isObject(raw)) return fail([RULE_FILE_RU.notMapping])
  }
  const common = ruleCommonSchema.safeParse(raw)
  if (!common.success) return fail(formatIssues(common.error.issues))
  const r = common.data
  const errors: string[] = []
  const stem = basename(path).replace(RULE_FILE, '')
  if (r.id !== stem) errors.push(`id: ${RULE_FILE_RU.idNotFileName(r.id, basename(path))}`)
  let params: unknown = r.params ?? {}
  if (r.kind === CUSTOM_KIND) {
    if (!custom) errors.push(`kind: ${RULE_FILE_RU.customNeedsModule(CUSTOM_KIND, 'TypeScript', 'detect')}`)
    else if (custom.paramsSchema) {
      const parsed = custom.paramsSchema.safeParse(params)
      if (parsed.success) params = parsed.data
      else errors.push(...formatIssues(parsed.error.issues, ['params']))
    }
  } else if (isBuiltinKind(r.kind)) {
    const parsed = kindParamsSchema(r.kind)!.safeParse(params)
    if (parsed.success) params = parsed.data
    else errors.push(...formatIssues(parsed.error.issues, ['params']))
  } else {
    errors.push(`kind: ${RULE_FILE_RU.unknownKind(r.kind, KNOWN_KINDS)}`)
  }
  if (errors.length) return fail(errors)
  const rule: RuleMeta = {
    id: r.id, title: r.title, severity: parseSeverity(r.severity) ?? r.severity as Severity, reads: r.reads as RuleMeta['reads'],
    message: r.message, kind: r.kind, params, enabled: r.enabled, source: path,
    ...(r.routing ? { routing: r.routing } : {}),
  }
  return { file, rule, errors: [] }
}

async function paramsSchemaOfRule(rule: RuleMeta): Promise<z.ZodType | undefined> {
  if (rule.kind === CUSTOM_KIND) return (await customRule(rule)).paramsSchema
  return kindParamsSchema(rule.kind)
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

