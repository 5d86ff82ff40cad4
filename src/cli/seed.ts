// `sverka seed [--scale N] [--seed S] [--out DIR]`
import type { Command } from 'commander'
import { isIsoDate } from '../dates.ts'
import { InputError } from '../errors.ts'
import { progressBar } from './output.ts'

export function registerSeed(program: Command) {
  program.command('seed')
    .description('write a Russian-language demo dataset with planted collisions (import CSVs + ground-truth.jsonl)')
    .option('--scale <n>', 'number of addresses', '1000')
    .option('--seed <s>', 'random seed (same seed, same files)', '1')
    .option('--out <dir>', 'output directory', './seed')
    .option('--as-of <date>', 'reference date the planted collisions hold at (YYYY-MM-DD)')
    .action(async (opts: { scale: string; seed: string; out: string; asOf?: string }) => {
      const scale = Number(opts.scale)
      const seed = Number(opts.seed)
      if (!Number.isInteger(scale) || scale < 1) throw new InputError(`--scale must be a whole number ≥ 1, got '${opts.scale}'`)
      if (!Number.isInteger(seed)) throw new InputError(`--seed must be a whole number, got '${opts.seed}'`)
      if (opts.asOf && !isIsoDate(opts.asOf)) throw new InputError(`--as-of must be YYYY-MM-DD, got '${opts.asOf}'`)
      const { generateSeed } = await import('../seed/generate.ts') // loaded on use: keeps start-up of other commands light
      const bar = progressBar('seed', scale)
      const started = Date.now()
      const summary = await generateSeed({ scale, seed, out: opts.out, asOf: opts.asOf, onProgress: (done, total) => bar.update(done, total, undefined, `${done.toLocaleString('ru-RU')} / ${total.toLocaleString('ru-RU')} addresses`) })
      bar.stop()
      for (const [file, n] of Object.entries(summary.files)) console.log(`${file.padEnd(22)} ${String(n).padStart(9)} rows`)
      const planted = Object.values(summary.planted).reduce((a, b) => a + b, 0)
      console.log(`planted ${planted} collisions over ${Object.keys(summary.planted).length} rules (as of ${summary.asOf}); ground truth in ${summary.out}/ground-truth.jsonl`)
      console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    })
}
