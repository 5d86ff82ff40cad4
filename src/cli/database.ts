// Opens the database a command works on (embedded by default, DATABASE_URL in production) and closes it.
import { openDatabase, type Database } from '../db/database.ts'

/**
 * The database, migrated, with the audit runs that a process which died left RUNNING marked FAILED: on the
 * embedded database every such run (it is this process's alone now), on PostgreSQL those whose heartbeat stopped
 * or whose process no longer runs on this host (src/engine/runs.ts).
 */
export async function openForCommand(): Promise<Database> {
  const db = await openDatabase()
  try {
    const { failDeadRuns } = await import('../engine/runs.ts')
    await failDeadRuns(db)
  } catch (e) {
    await db.close()
    throw e
  }
  return db
}

export async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openForCommand()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
