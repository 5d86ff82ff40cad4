// How commands talk to a person: one clear line on errors, progress bars only on a terminal.
import cliProgress from 'cli-progress'
import { SverkaError } from '../errors.ts'

/** Exit codes of the SPEC: 0 fine, 1 findings or rejects, 2 error. */
export const EXIT = { OK: 0, FOUND: 1, ERROR: 2 } as const

export class ExitError extends Error {
  constructor(readonly exitCode: number, message: string) { super(message) }
}

/** One line on stderr for any error; the stack only with SVERKA_DEBUG. */
export function reportError(error: unknown): number {
  if (error instanceof ExitError) {
    if (error.message) process.stderr.write(`sverka: ${error.message}\n`)
    return error.exitCode
  }
  const message = error instanceof SverkaError || error instanceof Error ? error.message : String(error)
  process.stderr.write(`sverka: ${message.split('\n')[0]}\n`)
  if (process.env.SVERKA_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`)
  return EXIT.ERROR
}

export interface Progress {
  /** `detail` is shown after the percentage, e.g. «12 000 rows» */
  update(value: number, total?: number, label?: string, detail?: string): void
  stop(): void
}

/** A progress bar on stderr when it is a terminal; silent otherwise. */
export function progressBar(label: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} }
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: '{label} [{bar}] {percentage}% {detail}',
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic)
  bar.start(total, 0, { label, detail: '' })
  return {
    update(value, newTotal, newLabel, detail) {
      if (newTotal !== undefined) bar.setTotal(newTotal)
      bar.update(value, { ...(newLabel ? { label: newLabel } : {}), ...(detail !== undefined ? { detail } : {}) })
    },
    stop() { bar.stop() },
  }
}
