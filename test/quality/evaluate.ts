// Grades the detection on the independent set (test/quality/generate.ts): imports it into a fresh database, runs
// the audit of the three rules it is labelled for, and compares what they found with the labels, pair by pair.
import type { Database } from '../../src/db/database.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { runAudit } from '../../src/audits/run.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { QualityLabels } from './generate.ts'

export const QUALITY_RULES = ['address-duplicate', 'customer-duplicate', 'address-incomplete'] as const
export type QualityRule = (typeof QUALITY_RULES)[number]

export interface RuleScore {
  /** labelled pairs (address-incomplete: labelled records) */
  labelled: number
  /** found pairs (address-incomplete: records found) */
  found: number
  truePositives: number
  precision: number
  recall: number
  f1: number
  /** most records in one finding */
  largestGroup: number
  /** a few of the wrong and the missed, for a person to read */
  falsePositives: string[]
  missed: string[]
}

const pairKey = (a: string, b: string) => (a < b ? `${a} ~ ${b}` : `${b} ~ ${a}`)

/** Every pair of codes that share a label. */
export function labelledPairs(labelOf: Record<string, string>): Set<string> {
  const groups = new Map<string, string[]>()
  for (const [code, label] of Object.entries(labelOf)) {
    const g = groups.get(label)
    if (g) g.push(code)
    else groups.set(label, [code])
  }
  const pairs = new Set<string>()
  for (const codes of groups.values()) for (let i = 0; i < codes.length; i++) for (let j = i + 1; j < codes.length; j++) pairs.add(pairKey(codes[i], codes[j]))
  return pairs
}

function score(expected: Set<string>, found: Set<string>, largestGroup: number): RuleScore {
  let tp = 0
  for (const f of found) if (expected.has(f)) tp++
  const precision = found.size ? tp / found.size : 1
  const recall = expected.size ? tp / expected.size : 1
  return {
    labelled: expected.size, found: found.size, truePositives: tp, precision, recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, largestGroup,
    falsePositives: [...found].filter((f) => !expected.has(f)).slice(0, 10),
    missed: [...expected].filter((f) => !found.has(f)).slice(0, 10),
  }
}

export interface QualityRun { scores: Record<QualityRule, RuleScore>; importSeconds: number; auditSeconds: number }

/** Imports `dir` into `db` (a fresh one), audits it with the three rules and scores them against `labels`. */
export async function evaluateQualitySet(db: Database, dir: string, labels: Pick<QualityLabels, 'addresses' | 'customers' | 'incomplete'>, asOf = '2026-01-31'): Promise<QualityRun> {
  let t = performance.now()
  const imported = await importDirectory(db, dir)
  if (imported.rejected) throw new Error(`${imported.rejected} rows of the quality set were rejected (see ${imported.rejectsFile})`)
  const importSeconds = (performance.now() - t) / 1000
  t = performance.now()
  const { findings } = await runAudit(db, { ruleIds: [...QUALITY_RULES], asOf, trigger: 'CLI', actor: 'quality' })
  const auditSeconds = (performance.now() - t) / 1000
  const found = { 'address-duplicate': new Set<string>(), 'customer-duplicate': new Set<string>(), 'address-incomplete': new Set<string>() }
  const largest = { 'address-duplicate': 0, 'customer-duplicate': 0, 'address-incomplete': 0 }
  for (const f of findings) {
    const rule = f.ruleId as QualityRule
    if (!(rule in found)) continue
    const keys = f.entities.map((e) => e.key)
    largest[rule] = Math.max(largest[rule], keys.length)
    if (rule === 'address-incomplete') for (const k of keys) found[rule].add(k)
    else for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) found[rule].add(pairKey(keys[i], keys[j]))
  }
  return {
    importSeconds, auditSeconds,
    scores: {
      'address-duplicate': score(labelledPairs(labels.addresses), found['address-duplicate'], largest['address-duplicate']),
      'customer-duplicate': score(labelledPairs(labels.customers), found['customer-duplicate'], largest['customer-duplicate']),
      'address-incomplete': score(new Set(labels.incomplete), found['address-incomplete'], largest['address-incomplete']),
    },
  }
}

/**
 * The same grading on a `sverka seed` directory, against its planted ground truth (ground-truth.jsonl): every planted
 * group of a fuzzy rule is its pairs, every planted address-incomplete its record. The seed plants no other collision,
 * so a finding outside the truth is a wrong one.
 */
export async function evaluateSeedSet(db: Database, dir: string): Promise<QualityRun> {
  const meta = JSON.parse(readFileSync(join(dir, 'seed-meta.json'), 'utf8')) as { asOf: string }
  const addresses: Record<string, string> = {}
  const customers: Record<string, string> = {}
  const incomplete: string[] = []
  let group = 0
  for (const line of readFileSync(join(dir, 'ground-truth.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue
    const truth = JSON.parse(line) as { ruleId: string; entities: Array<{ key: string }> }
    group++
    if (truth.ruleId === 'address-duplicate') for (const e of truth.entities) addresses[e.key] = `g${group}`
    else if (truth.ruleId === 'customer-duplicate') for (const e of truth.entities) customers[e.key] = `g${group}`
    else if (truth.ruleId === 'address-incomplete') incomplete.push(...truth.entities.map((e) => e.key))
  }
  return evaluateQualitySet(db, dir, { addresses, customers, incomplete }, meta.asOf)
}

/** The scores as a Markdown table, one row a rule. */
export function scoreTable(scores: Record<QualityRule, RuleScore>): string[] {
  const lines = ['| rule | labelled | found | precision | recall | F1 | largest group |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const rule of QUALITY_RULES) {
    const s = scores[rule]
    const unit = rule === 'address-incomplete' ? 'records' : 'pairs'
    lines.push(`| ${rule} | ${s.labelled.toLocaleString('en')} ${unit} | ${s.found.toLocaleString('en')} ${unit} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.largestGroup} |`)
  }
  return lines
}
