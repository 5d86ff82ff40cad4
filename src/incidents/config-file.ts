// A configuration file (rules/routing.yaml, rules/sla.yaml) read again only when it changes on disk.
import { readFile, stat } from 'node:fs/promises'
import { InputError } from '../errors.ts'
import { INCIDENT_RU } from '../i18n/ru-errors.ts'

/** A loader of `what` files: parsed once per file version (its mtime); an unreadable file is one clear InputError. */
export function fileLoader<T>(what: string, parse: (text: string, file: string) => T): (file: string) => Promise<T> {
  const cache = new Map<string, { mtime: number; config: T }>()
  return async (file) => {
    let mtime: number
    try {
      mtime = (await stat(file)).mtimeMs
    } catch (e) {
      throw new InputError(INCIDENT_RU.cannotReadFile(what, file, (e as Error).message))
    }
    const hit = cache.get(file)
    if (hit && hit.mtime === mtime) return hit.config
    const config = parse(await readFile(file, 'utf8'), file)
    cache.set(file, { mtime, config })
    return config
  }
}
