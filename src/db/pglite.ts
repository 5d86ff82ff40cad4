// Embedded PostgreSQL (PGlite): the extensions Sverka needs, and fast empty clusters for tests.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist'

export const pgliteExtensions = { pg_trgm, btree_gist }

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

function templatePath() {
  const pkg = join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json')
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version as string
  return join(projectRoot, 'node_modules', '.cache', `pglite-empty-${version}.tar`)
}

/**
 * A new in-memory cluster. initdb in WASM costs ~4 s; cloning a cached empty cluster ~0.6 s,
 * so the first call dumps one and later calls load it.
 */
export async function freshMemoryPGlite(options: PGliteOptions = {}): Promise<PGlite> {
  const template = templatePath()
  const opts = { extensions: pgliteExtensions, ...options }
  if (existsSync(template)) return PGlite.create({ ...opts, loadDataDir: new Blob([readFileSync(template)]) })
  const db = await PGlite.create(opts)
  const blob = await db.dumpDataDir('none')
  mkdirSync(dirname(template), { recursive: true })
  const tmp = `${template}.${process.pid}`
  writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()))
  renameSync(tmp, template)
  return db
}

/** Opens (creating if needed) the on-disk cluster in `dir`. Call once per process per dir. */
export async function openPGliteDir(dir: string): Promise<PGlite> {
  mkdirSync(dir, { recursive: true })
  return PGlite.create(dir, { extensions: pgliteExtensions })
}
