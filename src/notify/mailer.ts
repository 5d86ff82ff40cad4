// Sends Sverka's e-mail: over SMTP when SMTP_URL is set, otherwise (the embedded default) writes each
// message as an .eml file to $SVERKA_DATA_DIR/outbox, as the SPEC's runtime modes say.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { defaultDataDir } from '../db/database.ts'
import { moduleLogger } from '../logger.ts'

const log = moduleLogger('mailer')

export const DEFAULT_FROM = 'Sverka <sverka@localhost>'

export interface MailMessage {
  to: string | string[]
  subject: string
  text?: string
  html?: string
  from?: string
  /** `cid`: an inline part the HTML shows as `<img src="cid:…">` */
  attachments?: Array<{ filename: string; content: Buffer | string; contentType?: string; cid?: string }>
}

export interface SentMail {
  messageId: string
  /** the .eml file, in outbox mode */
  path?: string
}

export interface Mailer {
  /** 'smtp' or 'outbox' */
  readonly mode: 'smtp' | 'outbox'
  send(message: MailMessage): Promise<SentMail>
  close(): void
}

export interface MailerOptions {
  /** default SMTP_URL; an explicit outboxDir without smtpUrl means the outbox, whatever SMTP_URL says */
  smtpUrl?: string
  /** default $SVERKA_DATA_DIR/outbox */
  outboxDir?: string
  /** default SVERKA_MAIL_FROM or 'Sverka <sverka@localhost>' */
  from?: string
}

export function defaultOutboxDir() {
  return join(defaultDataDir(), 'outbox')
}

/** A file name that sorts by time and says which message it holds. */
function outboxFileName(at: Date, messageId: string) {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '')
  const id = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_')
  return `${stamp}-${id}.eml`
}

export function createMailer(options: MailerOptions = {}): Mailer {
  const from = options.from ?? process.env.SVERKA_MAIL_FROM ?? DEFAULT_FROM
  const smtpUrl = options.smtpUrl ?? (options.outboxDir ? undefined : process.env.SMTP_URL || undefined)
  const mail = (m: MailMessage): Mail.Options => ({ ...m, from: m.from ?? from })

  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl)
    return {
      mode: 'smtp',
      async send(message) {
        const info = await transport.sendMail(mail(message))
        log.info({ to: message.to, subject: message.subject, messageId: info.messageId }, 'mail sent')
        return { messageId: info.messageId }
      },
      close() { transport.close() },
    }
  }

  const dir = options.outboxDir ?? defaultOutboxDir()
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  return {
    mode: 'outbox',
    async send(message) {
      const info = await transport.sendMail(mail(message))
      mkdirSync(dir, { recursive: true })
      const path = join(dir, outboxFileName(new Date(), info.messageId))
      // the whole message or nothing: write beside it, then rename into place
      writeFileSync(`${path}.tmp`, info.message as Buffer)
      renameSync(`${path}.tmp`, path)
      log.info({ to: message.to, subject: message.subject, messageId: info.messageId, path }, 'mail written to outbox')
      return { messageId: info.messageId, path }
    },
    close() { transport.close() },
  }
}
