// `sverka import DIR [--rejects FILE] [--encoding utf-8|cp1251]`; once findings are kept (an audit has run),
// followed by an incremental re-check of the records it changed: queued on Redis, or run here and waited for.
import type { Command } from 'commander'
import type { Database } from '../db/database.ts'
import { InputError } from '../errors.ts'
import type { Encoding } from '../import/csv-source.ts'
import type { FileCounts, ImportSummary } from '../import/importer.ts'
import { findingsKept, importRecheck, runRecheckJob, type ImportRecheck } from '../jobs/import-recheck.ts'
import { withDatabase } from './database.ts'
import { EXIT, progressBar } from './output.ts'
import { CLI_RU, COMMAND_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'

const ENCODINGS: Record<string, Encoding> = { 'utf-8': 'utf-8', utf8: 'utf-8', cp1251: 'cp1251', 'windows-1251': 'cp1251', win1251: 'cp1251' }

export function registerImport(program: Command) {
  program.command('import')
    .description(COMMAND_RU.import('DIR/rejects.csv'))
    .argument('<dir>', COMMAND_RU.importDir('markets.csv, equipment_types.csv, products.csv, customers.csv, addresses.csv, contracts.csv, equipment.csv'))
    .option('--rejects <file>', COMMAND_RU.importRejects('DIR/rejects.csv'))
    .option('--encoding <encoding>', COMMAND_RU.importEncoding('utf-8, cp1251'))
    .action(async (dir: string, opts: { rejects?: string; encoding?: string }) => {
      let encoding: Encoding | undefined
      if (opts.encoding) {
        encoding = ENCODINGS[opts.encoding.toLowerCase()]
        if (!encoding) throw new InputError(OPTION_ERROR_RU.encoding(opts.encoding, 'utf-8, cp1251'))
      }
      const { importDirectory } = await import('../import/importer.ts')
      process.exitCode = await withDatabase(async (db) => {
        // before the first audit an import only loads: that audit finds everything (the SPEC's seed → import → audit)
        const recheck = (await findingsKept(db)) ? importRecheck(db) : undefined
        const bar = progressBar(CLI_RU.progressImport, 1)
        const started = Date.now()
        const summary = await importDirectory(db, dir, {
          encoding,
          rejectsFile: opts.rejects,
          onProgress: (p) => bar.update(p.bytes, p.totalBytes, p.file.padEnd(19), CLI_RU.importProgressRows(p.rows.toLocaleString('ru-RU'))),
          ...(recheck ? { beforeWrite: (records) => recheck.beforeWrite(records) } : {}),
        })
        bar.stop()
        printSummary(summary.files, Date.now() - started)
        const changed = summary.files.some((f) => f.inserted + f.updated > 0)
        if (!changed && summary.rejected === 0) console.log(CLI_RU.importNoChanges)
        if (summary.rejected) console.log(CLI_RU.importRejected(summary.rejected, summary.rejectsFile))
        if (recheck) await reportRecheck(db, recheck, summary)
        if (summary.nothingRead) {
          process.stderr.write(`sverka: ${CLI_RU.importNothingRead(dir, summary.rejectsFile)}\n`)
          return EXIT.ERROR
        }
        return summary.rejected ? EXIT.FOUND : EXIT.OK
      })
    })
}

function printSummary(files: FileCounts[], ms: number) {
  const rows = files.map((f) => [f.file, f.rows, f.inserted, f.updated, f.unchanged, f.rejected, f.error ?? ''])
  const head = CLI_RU.importHead
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const fmt = (r: ReadonlyArray<string | number>) => r.map((v, i) => (typeof v === 'number' ? String(v).padStart(widths[i]) : String(v).padEnd(widths[i]))).join('  ').trimEnd()
  console.log(fmt(head))
  for (const r of rows) console.log(fmt(r))
  const total = files.reduce((n, f) => n + f.rows, 0)
  console.log(CLI_RU.importTotal(total, (ms / 1000).toFixed(1), Math.round(total / Math.max(ms / 1000, 0.001))))
}

/** The import's re-check line on stdout; a problem goes to stderr and leaves the import's exit code alone. */
async function reportRecheck(db: Database, recheck: ImportRecheck, summary: ImportSummary) {
  const planned = await recheck.job(summary)
  if ('skipped' in planned) {
    if (planned.problem) process.stderr.write(`sverka: ${CLI_RU.recheckNotRun(planned.skipped)}\n`)
    else if (summary.changedOverflow) console.log(CLI_RU.recheckSkipped(planned.skipped))
    return
  }
  try {
    const outcome = await runRecheckJob(db, planned)
    const n = planned.job.changes.length
    if (outcome.queued) console.log(CLI_RU.recheckQueued(n))
    else console.log(CLI_RU.recheckDone(outcome.counts))
  } catch (e) {
    process.stderr.write(`sverka: ${CLI_RU.recheckFailed(((e as Error).message || String(e)).split('\n')[0])}\n`)
  }
}
