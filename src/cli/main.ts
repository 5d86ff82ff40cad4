// Entry of the `sverka` command: wires the commands; every error ends as one line and exit code 2.
import { Command, CommanderError } from 'commander'
import { registerApiKey } from './apikey.ts'
import { registerAudit } from './audit.ts'
import { registerImport } from './import.ts'
import { EXIT, reportError } from './output.ts'
import { registerRules } from './rules.ts'
import { registerSeed } from './seed.ts'
import { registerServe } from './serve.ts'
import { registerWorker } from './worker.ts'

const program = new Command('sverka')
  .description('Sverka: master-data consistency auditor (reference data, collision audits, findings ↔ incidents)')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `sverka: ${s.slice(7)}` : s) })
  .showHelpAfterError('(run sverka --help for usage)')

registerServe(program)
registerWorker(program)
registerImport(program)
registerAudit(program)
registerRules(program)
registerSeed(program)
registerApiKey(program)

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
