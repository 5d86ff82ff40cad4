// `sverka album --subscription ID [--period month|week] [--day YYYY-MM-DD] [--timezone ZONE]`: mails a subscription's
// reports album now, over SMTP_URL or into the outbox (src/notify/album.ts sendAlbumNow), as GraphQL `sendAlbum` does.
import type { Command } from 'commander'
import { SYSTEM } from '../access/scope.ts'
import { DEFAULT_TIMEZONE, isIsoDate, type CalendarPeriod } from '../dates.ts'
import { InputError } from '../errors.ts'
import { withDatabase } from './database.ts'
import { CLI_RU, COMMAND_RU, OPTION_ERROR_RU } from '../i18n/ru-cli.ts'

const PERIODS: Record<string, CalendarPeriod> = { month: 'MONTH', week: 'WEEK' }

interface AlbumCliOptions { subscription: string; period: string; day?: string; timezone?: string }

export function registerAlbum(program: Command) {
  program.command('album')
    .description(COMMAND_RU.album('SMTP_URL'))
    .requiredOption('--subscription <id>', COMMAND_RU.albumSubscription)
    .option('--period <period>', COMMAND_RU.albumPeriod(Object.keys(PERIODS).join(' | ')), 'month')
    .option('--day <date>', COMMAND_RU.albumDay)
    .option('--timezone <zone>', COMMAND_RU.albumTimeZone(DEFAULT_TIMEZONE))
    .action(async (opts: AlbumCliOptions) => {
      const input = parseOptions(opts)
      const [{ sendAlbumNow }, { createMailer }] = await Promise.all([import('../notify/album.ts'), import('../notify/mailer.ts')])
      await withDatabase(async (db) => {
        const mailer = createMailer()
        try {
          // the command line is the operator's: every subscription, as the CLI's audits see every market
          const sent = await sendAlbumNow(db, SYSTEM, { ...input, mailer })
          console.log(CLI_RU.albumSent(sent.subject ?? '', sent.recipients.join(', ')))
          if (sent.path) console.log(CLI_RU.albumFile(sent.path))
        } finally {
          mailer.close()
        }
      })
    })
}

/** Everything a person can get wrong in the options is refused before the database is opened. */
function parseOptions(opts: AlbumCliOptions) {
  if (!/^\d{1,9}$/.test(opts.subscription)) throw new InputError(OPTION_ERROR_RU.subscriptionId('--subscription', opts.subscription))
  const period = PERIODS[opts.period.toLowerCase()]
  if (!period) throw new InputError(OPTION_ERROR_RU.period('--period', opts.period, Object.keys(PERIODS).join(', ')))
  if (opts.day !== undefined && !isIsoDate(opts.day)) throw new InputError(OPTION_ERROR_RU.date('--day', opts.day))
  return {
    subscriptionId: Number(opts.subscription), period,
    ...(opts.day ? { day: opts.day } : {}), ...(opts.timezone ? { timeZone: opts.timezone } : {}),
  }
}
