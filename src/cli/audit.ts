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
import { CLI_RU, COMMAND_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'

const FORMATS = ['table', 'json', 'csv'] as const
type Format = (typeof FORMATS)[number]

interface AuditCliOptions { rules?: string; market?: string; asOf?: string; format: string; out?: string; failOn?: string }

export function registerAudit(program: Command) {
  program.command('audit')
    .description(COMMAND_RU.audit)
    .option('--rules <ids>', COMMAND_RU.auditRules)
    .option('--market <code>', COMMAND_RU.auditMarket)
    .option('--as-of <date>', COMMAND_RU.auditAsOf)
    .option('--format <format>', COMMAND_RU.auditFormat(FORMATS.join(' | ')), 'table')
    .option('--out <file>', COMMAND_RU.auditOut)
    .option('--fail-on <severity>', COMMAND_RU.auditFailOn(SEVERITIES.join(', ')))
    .action(async (opts: AuditCliOptions) => {
      const input = parseOptions(opts)
      // loaded on use: keeps start-up of other commands light
      const [{ runAudit }, { renderReport }] = await Promise.all([import('../audits/run.ts'), import('../engine/report.ts')])
      process.exitCode = await withDatabase(async (db) => {
        const bar = progressBar(CLI_RU.progressAudit, 1)
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
          console.log(CLI_RU.auditWritten(input.out, result.run.counts))
        } else {
          process.stdout.write(report)
        }
        if (!input.failOn) return EXIT.OK
        const limit = SEVERITIES.indexOf(input.failOn)
        const failing = result.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit).length
        if (failing === 0) return EXIT.OK
        process.stderr.write(`sverka: ${CLI_RU.auditFailing(failing, input.failOn)}\n`)
        return EXIT.FOUND
      })
    })
}

/** Everything a person can get wrong is refused before the database is opened. */
function parseOptions(opts: AuditCliOptions) {
  const format = opts.format.toLowerCase() as Format
  if (!FORMATS.includes(format)) throw new InputError(OPTION_ERROR_RU.format(opts.format, FORMATS.join(', ')))
  let failOn: Severity | undefined
  if (opts.failOn !== undefined) {
    failOn = parseSeverity(opts.failOn) ?? undefined
    if (!failOn) throw new InputError(OPTION_ERROR_RU.severity(opts.failOn, '--fail-on', SEVERITIES.join(', ')))
  }
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) {
    throw new InputError(OPTION_ERROR_RU.date('--as-of', opts.asOf))
  }
  let ruleIds: string[] | undefined
  if (opts.rules !== undefined) {
    ruleIds = opts.rules.split(',').map((id) => id.trim()).filter(Boolean)
    if (ruleIds.length === 0) throw new InputError(OPTION_ERROR_RU.noRuleIds('--rules', opts.rules))
  }
  if (opts.market !== undefined && !opts.market.trim()) throw new InputError(OPTION_ERROR_RU.noMarket('--market'))
  if (opts.out !== undefined) {
    const dir = dirname(resolve(opts.out))
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(OPTION_ERROR_RU.noDirectory('--out', dir))
  }
  return { format, failOn, asOf: opts.asOf, ruleIds, market: opts.market?.trim(), out: opts.out }
}
