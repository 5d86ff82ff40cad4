// Entry of the `sverka` command: wires the commands; every error ends as one line and exit code 2.
import { Command, CommanderError } from 'commander'
import { registerAlbum } from './album.ts'
import { registerApiKey } from './apikey.ts'
import { registerAudit } from './audit.ts'
import { registerImport } from './import.ts'
import { registerMerge } from './merge.ts'
import { EXIT, optionDescription, reportError, usageErrorRu } from './output.ts'
import { registerRules } from './rules.ts'
import { registerSeed } from './seed.ts'
import { registerServe } from './serve.ts'
import { registerWorker } from './worker.ts'
import { COMMAND_RU, HELP_RU, HELP_TITLE_RU } from '../i18n/ru-cli.ts'

const program = new Command('sverka')
  .description(COMMAND_RU.program)
  .version('0.1.0', '-V, --version', HELP_RU.version)
  .helpOption('-h, --help', HELP_RU.helpOption)
  .helpCommand('help [command]', HELP_RU.helpCommand)
  .exitOverride()
  // set before the commands are added: each command inherits them
  .configureHelp({ styleTitle: (title) => HELP_TITLE_RU[title] ?? title, optionDescription })
  .configureOutput({ outputError: (message, write) => write(`sverka: ${usageErrorRu(message)}`) })
  .showHelpAfterError(HELP_RU.afterError('sverka --help'))

registerServe(program)
registerWorker(program)
registerImport(program)
registerAudit(program)
registerMerge(program)
registerRules(program)
registerSeed(program)
registerApiKey(program)
registerAlbum(program)

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    // help and version are not errors; usage errors were printed by commander already
    process.exitCode = error.exitCode === 0 ? EXIT.OK : EXIT.ERROR
  } else {
    process.exitCode = reportError(error)
  }
}
