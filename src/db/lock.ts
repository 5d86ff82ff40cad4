// One process per embedded data directory: two PGlite instances on one directory corrupt it.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseLockedError } from '../errors.ts'
import { DATABASE_RU } from '../i18n/ru-errors.ts'

interface LockInfo { pid: number; command: string; since: string }

/** Whether a process with this pid runs on this host (one we may not signal counts as running). */
export function isProcessAlive(pid: number) {
  try { process.kill(pid, 0); return true } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM' }
}

/** Takes `dir/db.lock` (stale locks of dead processes are taken over); returns the release function. */
export function lockDataDir(dir: string, command = process.argv.slice(2).join(' ') || 'sverka'): () => void {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'db.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx')
      const info: LockInfo = { pid: process.pid, command, since: new Date().toISOString() }
      writeSync(fd, JSON.stringify(info))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        try { unlinkSync(file) } catch { /* already gone */ }
      }
      process.once('exit', release)
      return release
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      let holder: LockInfo | undefined
      try { holder = JSON.parse(readFileSync(file, 'utf8')) as LockInfo } catch { holder = undefined }
      if (holder && isProcessAlive(holder.pid)) {
        throw new DatabaseLockedError(DATABASE_RU.locked(dir, holder.pid, `sverka ${holder.command}`, holder.since, 'SVERKA_DATA_DIR',
          holder.command.startsWith('serve') ? 'sverka apikey' : null))
      }
      // the holder is gone (crashed or killed): the lock is stale
      try { unlinkSync(file) } catch { /* raced with another taker */ }
    }
  }
  throw new DatabaseLockedError(DATABASE_RU.lockRace(file))
}
