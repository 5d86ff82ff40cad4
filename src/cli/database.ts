// Opens the database a command works on (embedded by default, DATABASE_URL in production) and closes it.
import { openDatabase, type Database } from '../db/database.ts'

export async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
