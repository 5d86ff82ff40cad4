// `sverka rules [--validate DIR]`, `rules enable|disable|reset ID`, `rules set ID [--severity S] [--params JSON]`
import type { Command } from 'commander'
import { SEVERITIES, type RuleMeta, type Severity } from '../engine/types.ts'
import { InputError } from '../errors.ts'
import { withDatabase } from './database.ts'
import { EXIT } from './output.ts'
import { CLI_RU, COMMAND_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'

export function registerRules(program: Command) {
  const rules = program.command('rules')
    .description(COMMAND_RU.rules('--validate DIR'))
    .option('--validate <dir>', COMMAND_RU.rulesValidate)
    .action(async (opts: { validate?: string }) => {
      if (opts.validate !== undefined) {
        process.exitCode = await validate(opts.validate)
        return
      }
      const { loadEffectiveCatalog, listOverrides } = await import('../engine/overrides.ts')
      await withDatabase(async (db) => {
        const [catalog, overrides] = await Promise.all([loadEffectiveCatalog(db), listOverrides(db)])
        printCatalog(catalog.rules, new Map(overrides.map((o) => [o.ruleId, o])))
      })
    })

  rules.command('enable').description(COMMAND_RU.rulesEnable).argument('<id>')
    .action(async (id: string) => { await change(id, { enabled: true }) })
  rules.command('disable').description(COMMAND_RU.rulesDisable)
    .argument('<id>')
    .action(async (id: string) => { await change(id, { enabled: false }) })
  rules.command('set').description(COMMAND_RU.rulesSet)
    .argument('<id>')
    .option('--severity <severity>', COMMAND_RU.rulesSeverity(SEVERITIES.join(' | ')))
    .option('--params <json>', COMMAND_RU.rulesParams)
    .action(async (id: string, opts: { severity?: string; params?: string }) => {
      if (opts.severity === undefined && opts.params === undefined) throw new InputError(OPTION_ERROR_RU.rulesSetNothing('rules set', '--severity', '--params'))
      let params: unknown
      if (opts.params !== undefined) {
        try {
          params = JSON.parse(opts.params)
        } catch (e) {
          throw new InputError(OPTION_ERROR_RU.paramsNotJson('--params', (e as Error).message))
        }
      }
      await change(id, {
        ...(opts.severity !== undefined ? { severity: opts.severity.toUpperCase() as Severity } : {}),
        ...(opts.params !== undefined ? { params } : {}),
      })
    })
  rules.command('reset').description(COMMAND_RU.rulesReset).argument('<id>')
    .action(async (id: string) => {
      const { clearRuleOverride } = await import('../engine/overrides.ts')
      await withDatabase(async (db) => {
        const rule = await clearRuleOverride(db, id)
        console.log(`${rule.id}: ${CLI_RU.overrideDropped}; ${describe(rule)}`)
      })
    })
}

async function change(id: string, change: { enabled?: boolean; severity?: Severity; params?: unknown }) {
  const { setRuleOverride } = await import('../engine/overrides.ts')
  await withDatabase(async (db) => {
    const rule = await setRuleOverride(db, id, change, 'cli')
    console.log(`${rule.id}: ${describe(rule)}`)
  })
}

function describe(rule: RuleMeta) {
  return CLI_RU.ruleState(rule.enabled, rule.severity, JSON.stringify(rule.params ?? null))
}

function printCatalog(rules: RuleMeta[], overrides: Map<string, { enabled: boolean | null; severity: string | null; params: unknown }>) {
  if (rules.length === 0) { console.log(CLI_RU.noRules); return }
  const rows = rules.map((r) => {
    const o = overrides.get(r.id)
    const overridden = o ? (['enabled', 'severity', 'params'] as const).filter((k) => o[k] !== null) : []
    return [r.id, r.severity, r.kind, r.enabled ? CLI_RU.on : CLI_RU.off, r.title.ru, overridden.length ? CLI_RU.overridden(overridden.map((k) => CLI_RU.overrideField[k] ?? k).join(', ')) : '']
  })
  const head = CLI_RU.rulesHead
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  for (const r of [head, ...rows]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd())
}

async function validate(dir: string): Promise<number> {
  const { validateRulesDir } = await import('../engine/catalog.ts')
  const results = await validateRulesDir(dir)
  if (results.length === 0) throw new InputError(OPTION_ERROR_RU.noRuleFiles('rules --validate', dir))
  let invalid = 0
  for (const r of results) {
    if (r.ok) continue
    invalid++
    for (const error of r.errors) process.stderr.write(`${error.startsWith(r.file) ? error : `${r.file}: ${error}`}\n`)
  }
  console.log(invalid ? CLI_RU.rulesInvalid(invalid, results.length) : CLI_RU.rulesValid(results.length))
  return invalid ? EXIT.ERROR : EXIT.OK
}
