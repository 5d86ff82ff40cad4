// API keys: created once and shown once; only a SHA-256 hash is stored.
import { createHash, randomBytes } from 'node:crypto'
import type { PrismaClient } from '../generated/prisma/client.ts'
import { Role } from '../generated/prisma/enums.ts'
import { InputError, NotFoundError } from '../errors.ts'
import { seesMarket, SYSTEM, type Principal } from './scope.ts'
import { ACCESS_RU } from '../i18n/ru-errors.ts'

export const ROLES = Object.values(Role)

export function hashApiKey(key: string) {
  return createHash('sha256').update(key).digest('hex')
}

export interface CreatedKey { id: number; key: string; prefix: string; role: Role; markets: string[]; name: string }

/**
 * Creates a key. `by`, the key of the admin asking (the CLI: none), bounds it: a key limited to markets creates
 * keys limited to some of those markets only — never a wider one, and never one over every market.
 */
export async function createApiKey(prisma: PrismaClient, input: { role: string; markets?: string[]; name?: string }, by: Principal = SYSTEM): Promise<CreatedKey> {
  const role = input.role.toUpperCase()
  if (!(ROLES as string[]).includes(role)) throw new InputError(ACCESS_RU.unknownRole(String(input.role), ROLES))
  const markets = [...new Set((input.markets ?? []).map((m) => m.trim()).filter(Boolean))]
  if (by.markets !== null && markets.length === 0) {
    throw new InputError(ACCESS_RU.scopedCreatesScoped(by.markets))
  }
  if (markets.length) {
    const known = await prisma.market.findMany({ where: { code: { in: markets.filter((m) => seesMarket(by, m)) } }, select: { code: true } })
    const unknown = markets.filter((m) => !known.some((k) => k.code === m))
    if (unknown.length) throw new InputError(ACCESS_RU.unknownMarkets(unknown, 'markets.csv'))
  }
  const key = `sk_${randomBytes(24).toString('base64url')}`
  const prefix = key.slice(0, 10)
  const name = input.name ?? `${role.toLowerCase()} key`
  const row = await prisma.apiKey.create({ data: { name, prefix, hash: hashApiKey(key), role: role as Role, markets } })
  return { id: row.id, key, prefix, role: row.role, markets, name }
}

export async function listApiKeys(prisma: PrismaClient, by: Principal = SYSTEM) {
  const rows = await prisma.apiKey.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, prefix: true, role: true, markets: true, createdAt: true, lastUsedAt: true, revokedAt: true } })
  return rows.filter((k) => mayManageKey(by, k.markets))
}

/** Whether `by` may see and revoke a key limited to `markets` (empty: every market). */
function mayManageKey(by: Principal, markets: readonly string[]): boolean {
  return by.markets === null || (markets.length > 0 && markets.every((m) => by.markets!.includes(m)))
}

/** Revokes by id or by the key's prefix (`by`: the admin asking; another scope's key is answered as absent). */
export async function revokeApiKey(prisma: PrismaClient, idOrPrefix: string, by: Principal = SYSTEM) {
  const where = /^\d+$/.test(idOrPrefix) ? { id: Number(idOrPrefix) } : { prefix: idOrPrefix }
  const found = (await prisma.apiKey.findMany({ where })).filter((k) => mayManageKey(by, k.markets))
  if (found.length === 0) throw new NotFoundError(ACCESS_RU.keyNotFound(idOrPrefix))
  if (found.length > 1) throw new InputError(ACCESS_RU.keyAmbiguous(found.length, idOrPrefix))
  return prisma.apiKey.update({ where: { id: found[0].id }, data: { revokedAt: found[0].revokedAt ?? new Date() } })
}
