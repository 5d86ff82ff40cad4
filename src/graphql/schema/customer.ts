// Customers: people and companies with their contracts; the list (filtered, sorted, paged), the lookup
// by code, and lookups by phone in any notation and by INN.
import { z } from '../../i18n/zod.ts'
import { personalDataFor, readsPersonalData } from '../../access/personal-data.ts'
import { normalizePhone } from '../../customers/identifiers.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import { CustomerKind } from '../../generated/prisma/enums.ts'
import { builder, MAX_PAGE } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { scopeOf } from './common.ts'
import { aliasesOf, resolveAlias } from '../../merge/aliases.ts'
import { LOOKUP_RU } from '../../i18n/ru-records.ts'
import { containing, inMarket, keyArg, normalizedArg, orderEnum, pageBounds, textFilter, textOf } from './connections.ts'

export const CustomerKindEnum = builder.enumType(CustomerKind, { name: 'CustomerKind' })

const PERSONAL = 'A person\'s personal data: whole for the roles that read it (NSI_SPECIALIST, SUPPORT_AGENT, ADMIN; a company\'s for every role);'

export const CustomerRef = builder.prismaObject('Customer', {
  description: 'A customer (person or company)',
  // master data is for the roles that browse it, on every path (a finding's records, an incident's references, …)
  authScopes: { readMasterData: true },
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key' }),
    name: t.string({ description: `${PERSONAL} a person's initials otherwise`, resolve: (c, _args, ctx) => personalDataFor(principalOf(ctx), c).name }),
    kind: t.expose('kind', { type: CustomerKindEnum, nullable: true }),
    inn: t.string({ nullable: true, description: PERSONAL, resolve: (c, _args, ctx) => personalDataFor(principalOf(ctx), c).inn }),
    phone: t.string({ nullable: true, description: `as entered. ${PERSONAL}`, resolve: (c, _args, ctx) => personalDataFor(principalOf(ctx), c).phone }),
    phoneNormalized: t.string({
      nullable: true, description: `11 digits starting with 7 for Russian numbers. ${PERSONAL}`,
      resolve: (c, _args, ctx) => personalDataFor(principalOf(ctx), c).phoneNorm,
    }),
    email: t.string({ nullable: true, description: PERSONAL, resolve: (c, _args, ctx) => personalDataFor(principalOf(ctx), c).email }),
    contracts: t.relation('contracts', {
      description: 'its contracts (those the key may see)',
      query: (_args, ctx) => ({ where: scopeOf(ctx).contract(), orderBy: { number: 'asc' } }),
    }),
    aliases: t.stringList({
      description: 'the codes of the records merged into this one (each now stands for it), sorted',
      resolve: (r, _args, ctx) => aliasesOf(ctx.db.sql, 'customer', r.code),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

export const CustomerFilter = builder.inputType('CustomerFilter', {
  description: 'Conditions a customer must meet (all of those given)',
  fields: (t) => ({
    market: t.string({ description: 'market code: customers with a contract in it', validate: keyArg }),
    kind: t.field({ type: CustomerKindEnum }),
    address: t.string({ description: 'address code: customers with a contract at it', validate: keyArg }),
    text: t.string({ description: 'contained in the code, name, INN, phone or e-mail (case-insensitive; a person only by code for roles that do not read personal data)', validate: textFilter }),
  }),
})

const customerOrder = orderEnum('CustomerOrder', 'a customer list', { CODE: 'code', NAME: 'name', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' })

/** The Prisma where of a customer list: the caller's scope AND the filter. */
export function customerWhere(ctx: Context, filter: typeof CustomerFilter.$inferInput | null | undefined): Prisma.CustomerWhereInput {
  const and: Prisma.CustomerWhereInput[] = [scopeOf(ctx).customer()]
  if (filter?.market != null) and.push(inMarket(filter.market).customer())
  if (filter?.kind != null) and.push({ kind: filter.kind })
  if (filter?.address != null) and.push({ contracts: { some: { address: { code: filter.address } } } })
  const text = textOf(filter?.text)
  if (text) {
    const like = containing(text)
    const personal: Prisma.CustomerWhereInput[] = [{ name: like }, { inn: like }, { phone: like }, { email: like }]
    // a role that does not read personal data finds people by their code only (companies by anything)
    and.push({ OR: [{ code: like }, ...(readsPersonalData(principalOf(ctx)) ? personal : personal.map((p) => ({ AND: [p, COMPANIES] })))] })
  }
  return { AND: and }
}

const COMPANIES: Prisma.CustomerWhereInput = { kind: 'COMPANY' }

/** Lookups by personal data (phone, INN): a role that does not read it finds companies only. */
function byPersonalData(ctx: Context): Prisma.CustomerWhereInput {
  return readsPersonalData(principalOf(ctx)) ? {} : COMPANIES
}

builder.queryFields((t) => ({
  customers: t.prismaConnection({
    type: 'Customer',
    cursor: 'id',
    description: 'Customers the key may see, filtered and sorted (default: by code)',
    authScopes: { readMasterData: true },
    args: {
      filter: t.arg({ type: CustomerFilter }),
      orderBy: t.arg({ type: customerOrder.ref }),
    },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.customer.count({ where: customerWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.customer.findMany({
      ...query,
      where: customerWhere(ctx, args.filter),
      orderBy: customerOrder.orderBy(args.orderBy),
    }),
  }, { name: 'CustomerConnection' }, { name: 'CustomerEdge' }),
  customer: t.prismaField({
    type: 'Customer',
    nullable: true,
    description: 'A customer by code, or by the code of a customer merged into it (its survivor answers); null when there is none the key may see',
    authScopes: { readMasterData: true },
    args: { code: t.arg.string({ required: true, validate: keyArg }) },
    resolve: async (query, _root, args, ctx) => {
      const byCode = (code: string) => ctx.db.prisma.customer.findFirst({ ...query, where: { AND: [{ code }, scopeOf(ctx).customer()] } })
      // the code of a merged member (an alias) answers with its survivor, under the same scope
      const found = await byCode(args.code)
      if (found) return found
      const survivor = await resolveAlias(ctx.db.sql, 'customer', args.code)
      return survivor === null ? null : byCode(survivor)
    },
  }),
  customersByPhone: t.prismaField({
    type: ['Customer'],
    description: `Customers with this phone, written in any notation («8 916 123-45-67», «+7 (916) 1234567»), by code (at most ${MAX_PAGE}); companies only for roles that do not read personal data`,
    authScopes: { readMasterData: true },
    args: { phone: t.arg.string({ required: true, validate: normalizedArg(normalizePhone, LOOKUP_RU.phone) }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.customer.findMany({
      ...query,
      where: { AND: [{ phoneNorm: normalizePhone(args.phone) }, scopeOf(ctx).customer(), byPersonalData(ctx)] },
      orderBy: { code: 'asc' },
      take: MAX_PAGE,
    }),
  }),
  customersByInn: t.prismaField({
    type: ['Customer'],
    description: 'Customers with this INN (spaces ignored), by code; companies only for roles that do not read personal data',
    authScopes: { readMasterData: true },
    args: { inn: t.arg.string({ required: true, validate: z.string().transform((s) => s.replace(/\s+/g, '')).pipe(z.string().regex(/^\d{1,20}$/, LOOKUP_RU.inn)) }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.customer.findMany({
      ...query,
      where: { AND: [{ inn: args.inn.replace(/\s+/g, '') }, scopeOf(ctx).customer(), byPersonalData(ctx)] },
      orderBy: { code: 'asc' },
      take: MAX_PAGE,
    }),
  }),
}))
