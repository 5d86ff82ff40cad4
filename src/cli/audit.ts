// `sverka audit [--rules id,id] [--market CODE] [--as-of YYYY-MM-DD] [--format table|json|csv] [--out FILE] [--fail-on SEVERITY]`
import { existsSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { parseSeverity, SEVERITIES, type Severity } from '../engine/types.ts'
import { isIsoDate } from '../dates.ts'
import { InputError } from '../errors.ts'
import { withDatabase } from './database.ts'
import { EXIT, progressBar } from './output.ts'

const FORMATS = ['table', 'json', 'csv'] as const
type Format = (typeof FORMATS)[number]

interface AuditCliOptions { rules?: string; market?: string; asOf?: string; format: string; out?: string; failOn?: string }

export function registerAudit(program: Command) {
  program.command('audit')
    .description('run an audit now, persist the run and its findings, print or write the report')
    .option('--rules <ids>', 'comma-separated rule ids (default: every enabled rule)')
    .option('--market <code>', 'audit one market only')
    .option('--as-of <date>', 'reference date YYYY-MM-DD (default: today)')
    .option('--format <format>', FORMATS.join(' | '), 'table')
    .option('--out <file>', 'write the report to FILE instead of standard output')
    .option('--fail-on <severity>', `exit 1 when open findings of this severity or above exist (${SEVERITIES.join(', ')})`)
    .action(async (opts: AuditCliOptions) => {
      const input = parseOptions(opts)
      // loaded on use: keeps start-up of other commands light
      const [{ runAudit }, { renderReport }] = await Promise.all([import('../engine/audit.ts'), import('../engine/report.ts')])
      process.exitCode = await withDatabase(async (db) => {
        const bar = progressBar('audit', 1)
        let result
        try {
          result = await runAudit(db, {
            ruleIds: input.ruleIds, market: input.market, asOf: input.asOf, trigger: 'CLI', actor: 'cli',
            onProgress: (ruleId, index, total) => bar.update(index, total, undefined, ruleId),
          })
        } finally {
          bar.stop()
        }
        const report = renderReport(result, input.format)
        if (input.out) {
          await writeFile(input.out, report)
          const c = result.run.counts
          console.log(`report written to ${input.out}: new ${c.new}, open ${c.open}, resolved ${c.resolved}, reopened ${c.reopened}`)
        } else {
          process.stdout.write(report)
        }
        if (!input.failOn) return EXIT.OK
        const limit = SEVERITIES.indexOf(input.failOn)
        const failing = result.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit).length
        if (failing === 0) return EXIT.OK
        process.stderr.write(`sverka: ${failing} open finding(s) at or above ${input.failOn}\n`)
        return EXIT.FOUND
      })
    })
}

/** Everything a person can get wrong is refused before the database is opened. */
function parseOptions(opts: AuditCliOptions) {
  const format = opts.format.toLowerCase() as Format
  if (!FORMATS.includes(format)) throw new InputError(`unknown format '${opts.format}' (use ${FORMATS.join(', ')})`)
  let failOn: Severity | undefined
  if (opts.failOn !== undefined) {
    failOn = parseSeverity(opts.failOn) ?? undefined
    if (!failOn) throw new InputError(`unknown severity '${opts.failOn}' for --fail-on (use ${SEVERITIES.join(', ')})`)
  }
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) {
    throw new InputError(`--as-of must be a date YYYY-MM-DD, got '${opts.asOf}'`)
  }
  let ruleIds: string[] | undefined
  if (opts.rules !== undefined) {
    ruleIds = opts.rules.split(',').map((id) => id.trim()).filter(Boolean)
    if (ruleIds.length === 0) throw new InputError(`--rules needs at least one rule id, got '${opts.rules}'`)
  }
  if (opts.market !== undefined && !opts.market.trim()) throw new InputError('--market needs a market code')
  if (opts.out !== undefined) {
    const dir = dirname(resolve(opts.out))
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--out: directory ${dir} does not exist`)
  }
  return { format, failOn, asOf: opts.asOf, ruleIds, market: opts.market?.trim(), out: opts.out }
}
