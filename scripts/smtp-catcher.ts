// A local SMTP catcher for development and hand checks: `npm run mail:catch [-- --port 1025 --dir DIR]`.
// Prints one line per message (time, recipients, subject, attachments) and keeps each as an .eml file in DIR
// (default ./.sverka/caught). Point Sverka at it with SMTP_URL=smtp://127.0.0.1:1025.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

const { values } = parseArgs({ options: { port: { type: 'string', default: '1025' }, host: { type: 'string', default: '127.0.0.1' }, dir: { type: 'string', default: join('.sverka', 'caught') } } })
mkdirSync(values.dir, { recursive: true })
let count = 0

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    const keep = async () => {
      const raw = Buffer.concat(chunks)
      const file = join(values.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`)
      writeFileSync(file, raw)
      const mail = await simpleParser(raw)
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ')
      const files = mail.attachments.map((a) => `${a.filename} (${a.size} B)`).join(', ')
      process.stdout.write(`${new Date().toISOString()}  #${count}  to ${to}  «${mail.subject}»${files ? `  + ${files}` : ''}  → ${file}\n`)
    }
    stream.on('end', () => { keep().then(() => callback(), (e: Error) => callback(e)) })
  },
})
server.listen(Number(values.port), values.host, () => process.stdout.write(`SMTP catcher on smtp://${values.host}:${values.port}, messages kept in ${values.dir}\n`))
process.on('SIGINT', () => server.close(() => process.exit(0)))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
