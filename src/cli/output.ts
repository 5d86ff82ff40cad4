// How commands talk to a person: one clear line on errors, progress bars only on a terminal.
import cliProgress from 'cli-progress'
import type { Option } from 'commander'
import { SverkaError } from '../errors.ts'
import { HELP_RU, USAGE_RU } from '../i18n/ru-cli.ts'

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

/** An option's line in `--help`: its description and, in brackets, what commander would add in English. */
export function optionDescription(option: Option): string {
  const extra: string[] = []
  if (option.argChoices) extra.push(HELP_RU.choices(option.argChoices.join(', ')))
  // as commander does: a default is shown for options with a value (and for booleans only when set on purpose)
  const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean')
  if (option.defaultValue !== undefined && showDefault) {
    extra.push(HELP_RU.defaultValue(option.defaultValueDescription ?? JSON.stringify(option.defaultValue)))
  }
  if (option.presetArg !== undefined && option.optional) extra.push(HELP_RU.preset(JSON.stringify(option.presetArg)))
  if (option.envVar !== undefined) extra.push(HELP_RU.env(option.envVar))
  return extra.length ? `${option.description ? `${option.description} ` : ''}(${extra.join(', ')})` : option.description
}

/**
 * Commander's usage errors in Russian. Commander builds them in English with no hook per message, so they
 * are recognised by their fixed wording (commander 14); a message not listed is shown as commander wrote it.
 */
export function usageErrorRu(message: string): string {
  const text = message.replace(/^error: /, '')
  const [first = '', ...rest] = text.split('\n')
  const suggestion = /^\(Did you mean (?:one of )?(.+)\?\)$/.exec(rest.join('\n').trim())?.[1]
  const tail = suggestion ? `\n${USAGE_RU.didYouMean(suggestion)}\n` : rest.length ? `\n${rest.join('\n')}` : '\n'
  const patterns: Array<[RegExp, (...m: string[]) => string]> = [
    [/^unknown option '(.+)'$/, (flag) => USAGE_RU.unknownOption(flag)],
    [/^unknown command '(.+)'$/, (name) => USAGE_RU.unknownCommand(name)],
    [/^missing required argument '(.+)'$/, (name) => USAGE_RU.missingArgument(name)],
    [/^option '(.+)' argument missing$/, (flags) => USAGE_RU.optionArgumentMissing(flags)],
    [/^required option '(.+)' not specified$/, (flags) => USAGE_RU.requiredOption(flags)],
    [/^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (command, expected, got) => (command ? USAGE_RU.tooManyArgumentsOf(command, Number(expected), Number(got)) : USAGE_RU.tooManyArguments(Number(expected), Number(got)))],
    [/^(.+) cannot be used with (.+)$/, (a, b) => USAGE_RU.conflictingOptions(a, b)],
    [/^option '(.+)' argument '(.*)' is invalid\.$/, (flags, value) => USAGE_RU.invalidOptionValue(flags, value)],
  ]
  for (const [pattern, render] of patterns) {
    const m = pattern.exec(first)
    if (m) return render(...m.slice(1)) + tail
  }
  return text
}

/** A table on stdout: a header row, columns padded to their widest cell, two spaces apart (as `import` prints). */
export function printTable(head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  for (const r of [head, ...rows]) console.log(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd())
}
