// Entry of the `sverka` command: wires the commands; every error ends as one line and exit code 2.
import { Command, CommanderError } from 'commander'
import { NotImplementedError } from '../errors.ts'
import { registerApiKey } from './apikey.ts'
import { registerImport } from './import.ts'
import { EXIT, reportError } from './output.ts'
import { registerSeed } from './seed.ts'

const program = new Command('sverka')
  .description('Sverka: master-data consistency auditor (reference data, collision audits, findings ↔ incidents)')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `sverka: ${s.slice(7)}` : s) })
  .showHelpAfterError('(run sverka --help for usage)')

function notBuilt(name: string, issue: string) {
  return () => { throw new NotImplementedError(`'sverka ${name}' is not built yet (${issue})`) }
}

program.command('serve').description('GraphQL API at /graphql, web console and (embedded mode) job processors')
  .allowUnknownOption().allowExcessArguments().action(notBuilt('serve', 'see the GraphQL API issue'))
program.command('worker').description('job processors only (production mode)')
  .allowUnknownOption().allowExcessArguments().action(notBuilt('worker', 'see the jobs issue'))
program.command('audit').description('run an audit now, persist it and print the report')
  .allowUnknownOption().allowExcessArguments().action(notBuilt('audit', 'see the collision engine issue'))
program.command('rules').description('list the rule catalogue; --validate DIR checks rule files')
  .allowUnknownOption().allowExcessArguments().action(notBuilt('rules', 'see the collision engine issue'))
registerImport(program)
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
