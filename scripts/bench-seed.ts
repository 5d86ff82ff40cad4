// The seed a benchmark runs on: .bench/seed-<N> (the default density), or with `--collisions 5%` the audit bench's
// .bench/seed-audit-<N>-c5 with that share of records planted in collisions (issue 18); `tag` names the databases
// made from it apart from the default seed's.
import { join } from 'node:path'
import { shareOf } from '../src/cli/seed.ts'

export function benchSeed(root: string, scale: number, collisions: string | undefined): { dir: string; tag: string; share: number | undefined } {
  if (collisions === undefined) return { dir: join(root, `seed-${scale}`), tag: '', share: undefined }
  const tag = `-c${collisions.replace(/\W/g, '')}`
  return { dir: join(root, `seed-audit-${scale}${tag}`), tag, share: shareOf(collisions) }
}
