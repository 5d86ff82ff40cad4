// `sverka merge --type address|customer KEY KEY… [--survivor KEY] [--field COLUMN=KEY …] [--dry-run] [--json]`
// `sverka merge --from-findings RULE [--market M] [--limit N] [--report FILE] [--dry-run] [--json]`
// Runs as the system (the command line has the whole database anyway), attributed to `cli:<user>`.
import { existsSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { SYSTEM } from '../access/scope.ts'
import { csvText } from '../csv.ts'
import { isIsoDate } from '../dates.ts'
import type { ReportFinding } from '../engine/findings.ts'
import { InputError } from '../errors.ts'
import type { BulkMergeReport } from '../merge/bulk.ts'
import { isMergeableType, MERGEABLE_TYPES, type MergeInput, type MergeMove, type MergePreview, type MergeResult } from '../merge/types.ts'
import { withDatabase } from './database.ts'
import { EXIT, printTable, progressBar } from './output.ts'
import { COMMAND_RU, MERGE_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'
import { ENTITY_TYPE_RU, severityRu } from '../i18n/ru.ts'

interface MergeCliOptions {
  type?: string; survivor?: string; field?: string[]; fromFindings?: string; market?: string; limit?: string
  report?: string; dryRun?: boolean; json?: boolean; asOf?: string; concurrency?: string
}

// no default value: commander would print «по умолчанию: []» in --help
const collect = (value: string, previous: string[] = []) => [...previous, value]

export function registerMerge(program: Command) {
  program.command('merge')
    .description(COMMAND_RU.merge('--from-findings'))
    .argument('[keys...]', COMMAND_RU.mergeKeys)
    .option('--type <type>', COMMAND_RU.mergeType(MERGEABLE_TYPES.join(' | ')))
    .option('--survivor <key>', COMMAND_RU.mergeSurvivor)
    .option('--field <column=key>', COMMAND_RU.mergeField('phone=C-2'), collect)
    .option('--from-findings <rule>', COMMAND_RU.mergeFromFindings)
    .option('--market <code>', COMMAND_RU.mergeMarket)
    .option('--limit <n>', COMMAND_RU.mergeLimit)
    .option('--report <file>', COMMAND_RU.mergeReport)
    // 8: mergeFromFindings's default (src/merge/bulk.ts, not imported here: it loads the engine)
    .option('--concurrency <n>', COMMAND_RU.mergeConcurrency(8))
    .option('--as-of <date>', COMMAND_RU.mergeAsOf)
    .option('--dry-run', COMMAND_RU.mergeDryRun)
    .option('--json', COMMAND_RU.mergeJson)
    .action(async (keys: string[], opts: MergeCliOptions) => {
      const actor = `cli:${userName()}`
      if (opts.fromFindings !== undefined) {
        const bulk = parseBulk(keys, opts)
        const { mergeFromFindings } = await import('../merge/bulk.ts') // loaded on use: keeps start-up of other commands light
        process.exitCode = await withDatabase(async (db) => {
          const bar = progressBar(MERGE_RU.progress, 1)
          let report: BulkMergeReport
          try {
            report = await mergeFromFindings(db, SYSTEM, { ...bulk, actor, onProgress: (done, total) => bar.update(done, total) })
          } finally {
            bar.stop()
          }
          if (bulk.report) await writeFile(bulk.report, bulkCsv(report))
          if (opts.json) console.log(JSON.stringify(report, null, 2))
          else printBulk(report)
          if (bulk.report && !opts.json) console.log(MERGE_RU.bulkWritten(bulk.report))
          return report.counts.failed > 0 ? EXIT.FOUND : EXIT.OK
        })
        return
      }
      const input = parseExplicit(keys, opts)
      process.exitCode = await withDatabase(async (db) => {
        if (opts.dryRun) {
          const { previewMerge } = await import('../merge/preview.ts')
          const preview = await previewMerge(db, SYSTEM, input, { asOf: opts.asOf })
          if (opts.json) console.log(JSON.stringify(preview, null, 2))
          else printPreview(preview)
          return EXIT.OK
        }
        const { mergeRecords } = await import('../merge/merge.ts')
        const result = await mergeRecords(db, SYSTEM, input, { actor, asOf: opts.asOf })
        if (opts.json) console.log(JSON.stringify(result, null, 2))
        else printResult(result)
        return EXIT.OK
      })
    })
}

function userName(): string {
  try {
    return userInfo().username
  } catch {
    // a uid with no passwd entry (a container): the environment may still say who it is
    return process.env.USER ?? process.env.LOGNAME ?? 'unknown'
  }
}

// ─── options: everything a person can get wrong is refused before the database is opened ───

function checkAsOf(opts: MergeCliOptions) {
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) throw new InputError(OPTION_ERROR_RU.date('--as-of', opts.asOf))
}

function parseExplicit(keys: string[], opts: MergeCliOptions): MergeInput {
  for (const [flag, given] of [['--market', opts.market], ['--limit', opts.limit], ['--report', opts.report], ['--concurrency', opts.concurrency]] as const) {
    if (given !== undefined) throw new InputError(OPTION_ERROR_RU.mergeOnlyBulk(flag, '--from-findings'))
  }
  if (opts.type === undefined) throw new InputError(OPTION_ERROR_RU.mergeNeedsType('--type', MERGEABLE_TYPES.join(', ')))
  const type = opts.type.toLowerCase()
  if (!isMergeableType(type)) throw new InputError(OPTION_ERROR_RU.mergeType('--type', opts.type, MERGEABLE_TYPES.join(', ')))
  const given = keys.map((k) => k.trim()).filter(Boolean)
  if (given.length < 2) throw new InputError(OPTION_ERROR_RU.mergeNeedsKeys('KEY KEY…', '--from-findings RULE'))
  checkAsOf(opts)
  const fields: Record<string, string> = {}
  for (const choice of opts.field ?? []) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S.*?)\s*$/.exec(choice)
    if (!m) throw new InputError(OPTION_ERROR_RU.mergeField('--field', choice))
    fields[m[1]] = m[2]
  }
  return {
    type, keys: given,
    ...(opts.survivor !== undefined ? { survivor: opts.survivor.trim() } : {}),
    ...(Object.keys(fields).length ? { fields } : {}),
  }
}

function parseBulk(keys: string[], opts: MergeCliOptions) {
  if (keys.length) throw new InputError(OPTION_ERROR_RU.mergeKeysWithFindings('--from-findings'))
  for (const [flag, given] of [['--type', opts.type], ['--survivor', opts.survivor], ['--field', opts.field?.[0]]] as const) {
    if (given !== undefined) throw new InputError(OPTION_ERROR_RU.mergeOnlyExplicit(flag, '--from-findings'))
  }
  const ruleId = opts.fromFindings!.trim()
  if (!ruleId) throw new InputError(OPTION_ERROR_RU.noRuleIds('--from-findings', opts.fromFindings!))
  if (opts.market !== undefined && !opts.market.trim()) throw new InputError(OPTION_ERROR_RU.noMarket('--market'))
  const whole = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isInteger(n) || n < 1) throw new InputError(OPTION_ERROR_RU.wholeAtLeastOne(flag, value))
    return n
  }
  checkAsOf(opts)
  if (opts.report !== undefined) {
    const dir = dirname(resolve(opts.report))
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(OPTION_ERROR_RU.noDirectory('--report', dir))
  }
  return {
    ruleId, market: opts.market?.trim(), limit: whole('--limit', opts.limit), concurrency: whole('--concurrency', opts.concurrency),
    dryRun: opts.dryRun ?? false, asOf: opts.asOf, report: opts.report,
  }
}

// ─── what a person reads ───

const entities = (f: { entities: Array<{ type: string; key: string }> }) => f.entities.map((e) => `${ENTITY_TYPE_RU[e.type] ?? e.type} ${e.key}`).join(', ')

function printFindings(title: string, findings: ReadonlyArray<Pick<ReportFinding, 'ruleId' | 'severity' | 'entities'>>) {
  console.log('')
  console.log(title)
  if (findings.length) printTable(MERGE_RU.findingsHead, findings.map((f) => [f.ruleId, severityRu(f.severity), entities(f)]))
}

function printMoves(title: string, moves: readonly MergeMove[]) {
  console.log('')
  if (moves.length === 0) {
    console.log(MERGE_RU.noMoves)
    return
  }
  console.log(title)
  printTable(MERGE_RU.movesHead, moves.map((m) => [MERGE_RU.moveType(m.type), m.key, MERGE_RU.moveField(m.field), m.from]))
}

function printPreview(p: MergePreview) {
  console.log(MERGE_RU.previewHead(ENTITY_TYPE_RU[p.type] ?? p.type))
  const why = MERGE_RU.survivorReason(p.reason)
  console.log(p.survivor === p.proposed ? MERGE_RU.survivor(p.survivor, why) : MERGE_RU.survivorChosen(p.survivor, p.proposed, why))
  console.log('')
  printTable(MERGE_RU.membersHead, p.members.map((m) => [
    m.key, String(m.filled), String(m.contracts), String(m.devices), String(m.incidents), new Date(m.createdAt).toISOString().slice(0, 10),
  ]))
  console.log('')
  console.log(MERGE_RU.fieldsTitle)
  printTable(MERGE_RU.fieldsHead, p.fields.map((f) => [f.field, f.value ?? '', f.from, f.differs ? '*' : '']))
  printMoves(MERGE_RU.movesTitle(p.moves.length), p.moves)
  printFindings(MERGE_RU.resolvingTitle(p.resolving.length), p.resolving)
  printFindings(MERGE_RU.appearingTitle(p.appearing.length), p.appearing)
}

function printResult(r: MergeResult) {
  console.log(MERGE_RU.done(r.merge.id, r.merge.survivor, r.merge.members.join(', ')))
  printMoves(MERGE_RU.movedTitle(r.merge.moves.length), r.merge.moves)
  if (r.recheckQueued) {
    console.log('')
    console.log(MERGE_RU.recheckQueued)
    return
  }
  printFindings(MERGE_RU.resolvedTitle(r.resolved.length), r.resolved)
  printFindings(MERGE_RU.causedTitle(r.caused.length), r.caused)
}

const seconds = (ms: number) => (ms / 1000).toFixed(1)

function printBulk(r: BulkMergeReport) {
  console.log(MERGE_RU.bulkHead(r.ruleId, r.market, r.dryRun))
  if (r.groups.length === 0) {
    console.log(MERGE_RU.bulkNoGroups)
    return
  }
  const skipped = Object.values(r.counts.skipped).reduce((a, b) => a + b, 0)
  console.log(MERGE_RU.bulkCounts({ ...r.counts, skipped }, r.dryRun))
  const reasons = Object.entries(r.counts.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${MERGE_RU.skipReason(reason)} — ${n}`)
  if (reasons.length) console.log(MERGE_RU.bulkSkipped(reasons.join(' · ')))
  if (r.recheck) console.log(MERGE_RU.bulkRecheck({ ...r.recheck, rules: r.recheck.rules.length }, r.resolvedGroups, r.counts.merged))
  const t = r.timings
  console.log(MERGE_RU.bulkTimings({ select: seconds(t.select), merge: seconds(t.merge), recheck: seconds(t.recheck), total: seconds(t.total) }, r.dryRun))
  console.log('')
  printTable(MERGE_RU.bulkGroupsHead, r.groups.map((g) => [
    g.fingerprint.slice(0, 12), MERGE_RU.outcome[g.outcome] ?? g.outcome, g.survivor ?? '', g.keys.join(', '),
    g.error ?? (g.reason ? `${MERGE_RU.skipReason(g.reason)}${g.detail ? `: ${g.detail.join(', ')}` : ''}` : g.survivorReason ? MERGE_RU.survivorReason(g.survivorReason) : ''),
  ]))
}

/** One row a group, for a spreadsheet: codes (outcome, reason) as they are, so a filter can pick them. */
function bulkCsv(r: BulkMergeReport): string {
  return csvText(r.groups.map((g) => [
    g.findingId, g.fingerprint, r.ruleId, g.outcome, g.reason ?? '', g.survivor ?? '', g.keys.join(';'), g.mergeId ?? '', g.ms ?? '',
    g.error ?? g.detail?.join(';') ?? '',
  ]), {
    delimiter: ',', recordDelimiter: '\r\n', bom: true,
    header: ['finding', 'fingerprint', 'rule', 'outcome', 'reason', 'survivor', 'members', 'merge', 'ms', 'detail'],
  })
}
