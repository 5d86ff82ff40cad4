// `sverka seed [--scale N] [--seed S] [--out DIR] [--as-of DATE] [--collisions SHARE]`
import type { Command } from 'commander'
import { isIsoDate } from '../dates.ts'
import { InputError } from '../errors.ts'
import { progressBar } from './output.ts'
import { CLI_RU, COMMAND_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'

export function registerSeed(program: Command) {
  program.command('seed')
    .description(COMMAND_RU.seed('ground-truth.jsonl'))
    .option('--scale <n>', COMMAND_RU.seedScale, '1000')
    .option('--seed <s>', COMMAND_RU.seedSeed, '1')
    .option('--out <dir>', COMMAND_RU.seedOut, './seed')
    .option('--as-of <date>', COMMAND_RU.seedAsOf)
    .option('--collisions <share>', COMMAND_RU.seedCollisions)
    .action(async (opts: { scale: string; seed: string; out: string; asOf?: string; collisions?: string }) => {
      const scale = Number(opts.scale)
      const seed = Number(opts.seed)
      if (!Number.isInteger(scale) || scale < 1) throw new InputError(OPTION_ERROR_RU.wholeAtLeastOne('--scale', opts.scale))
      if (!Number.isInteger(seed)) throw new InputError(OPTION_ERROR_RU.whole('--seed', opts.seed))
      if (opts.asOf && !isIsoDate(opts.asOf)) throw new InputError(OPTION_ERROR_RU.date('--as-of', opts.asOf))
      const { generateSeed, MAX_COLLISIONS } = await import('../seed/generate.ts') // loaded on use: keeps start-up of other commands light
      const collisions = opts.collisions === undefined ? undefined : shareOf(opts.collisions)
      if (collisions !== undefined && !(Number.isFinite(collisions) && collisions > 0 && collisions <= MAX_COLLISIONS)) {
        throw new InputError(OPTION_ERROR_RU.share('--collisions', opts.collisions!, String(MAX_COLLISIONS * 100)))
      }
      const bar = progressBar(CLI_RU.progressSeed, scale)
      const started = Date.now()
      const summary = await generateSeed({ scale, seed, out: opts.out, asOf: opts.asOf, collisions, onProgress: (done, total) => bar.update(done, total, undefined, CLI_RU.seedProgress(done.toLocaleString('ru-RU'), total.toLocaleString('ru-RU'))) })
      bar.stop()
      for (const [file, n] of Object.entries(summary.files)) console.log(CLI_RU.seedFile(file.padEnd(22), String(n).padStart(9)))
      const planted = Object.values(summary.planted).reduce((a, b) => a + b, 0)
      console.log(CLI_RU.seedPlanted(planted, Object.keys(summary.planted).length, summary.asOf, `${summary.out}/ground-truth.jsonl`))
      console.log(CLI_RU.seedCollisionRate((summary.collisionRate * 100).toLocaleString('ru-RU', { maximumFractionDigits: 2 })))
      console.log(CLI_RU.seedDone(((Date.now() - started) / 1000).toFixed(1)))
    })
}

/** «0.05», «0,05» or «5%» as a share (NaN when it is none of those). */
export function shareOf(text: string): number {
  const t = text.trim().replace(',', '.')
  const percent = t.endsWith('%')
  const n = Number(percent ? t.slice(0, -1).trim() : t)
  return t === '' || t === '%' ? Number.NaN : percent ? n / 100 : n
}
