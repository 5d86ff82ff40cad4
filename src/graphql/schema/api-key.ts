// API keys, for ADMIN keys: list, create (the key is in the answer once), revoke.
import { z } from '../../i18n/zod.ts'
import { createApiKey, listApiKeys, revokeApiKey } from '../../access/api-keys.ts'
import { can, PERMISSIONS, type Permission } from '../../access/permissions.ts'
import type { Principal } from '../../access/scope.ts'
import { Role } from '../../generated/prisma/enums.ts'
import { builder } from '../builder.ts'
import { forgetKeys, principalOf } from '../context.ts'
import { asResult, RESULT_ERRORS } from './common.ts'

export const RoleEnum = builder.enumType(Role, { name: 'Role', description: 'What a key may do (see README: roles)' })

interface KeyShape { id: number; name: string; prefix: string; role: Role; markets: string[]; createdAt?: Date; lastUsedAt?: Date | null; revokedAt?: Date | null }

const ApiKeyRef = builder.objectRef<KeyShape>('ApiKey').implement({
  description: 'An API key (never the key itself: only its first characters)',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    role: t.field({ type: RoleEnum, resolve: (k) => k.role }),
    markets: t.exposeStringList('markets', { description: 'markets the key is limited to; empty: all' }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.createdAt ?? null }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.lastUsedAt ?? null }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (k) => k.revokedAt ?? null }),
  }),
})

const CreatedApiKey = builder.objectRef<KeyShape & { key: string }>('CreatedApiKey').implement({
  description: 'A new key: `key` is shown this once and never again',
  fields: (t) => ({
    key: t.exposeString('key'),
    apiKey: t.field({ type: ApiKeyRef, resolve: (k) => k }),
  }),
})

builder.queryField('apiKeys', (t) => t.field({
  type: [ApiKeyRef],
  authScopes: { admin: true },
  description: 'API keys (a key limited to markets lists the keys limited to some of its markets)',
  resolve: (_root, _args, ctx) => listApiKeys(ctx.db.prisma, principalOf(ctx)),
}))

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    errors: { types: RESULT_ERRORS },
    args: {
      role: t.arg({ type: RoleEnum, required: true }),
      markets: t.arg.stringList({ required: false, validate: z.array(z.string().min(1).max(32)).max(50) }),
      name: t.arg.string({ required: false, validate: z.string().min(1).max(200) }),
    },
    resolve: (_root, args, ctx) => asResult(() => createApiKey(ctx.db.prisma, { role: args.role, markets: args.markets ?? [], name: args.name ?? undefined }, principalOf(ctx))),
  }),
  revokeApiKey: t.field({
    type: ApiKeyRef,
    authScopes: { admin: true },
    errors: { types: RESULT_ERRORS },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => asResult(async () => {
      const revoked = await revokeApiKey(ctx.db.prisma, String(args.id), principalOf(ctx))
      forgetKeys()
      return revoked
    }),
  }),
}))


const ViewerRef = builder.objectRef<Principal>('Viewer').implement({
  description: 'The key the request is made with: its name, role, markets and what its role may do (the console shows only that)',
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: RoleEnum, resolve: (p) => p.role }),
    markets: t.stringList({ description: 'markets the key is limited to; empty: all', resolve: (p) => [...(p.markets ?? [])] }),
    permissions: t.stringList({
      description: 'what the role may do, as named in the README\'s role table (readFindings, workFindings, intake, …)',
      resolve: (p) => (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can(p.role, permission)),
    }),
  }),
})

builder.queryField('me', (t) => t.field({
  type: ViewerRef,
  authScopes: { authenticated: true },
  description: 'The key this request is made with (any valid key may ask)',
  resolve: (_root, _args, ctx) => principalOf(ctx),
}))
