// search(text, types, first): what a support agent types during a call → the addresses, customers,
// contracts and devices it most likely means, each with the record itself. Thin: validates, calls the
// search service (src/search/search.ts), loads the records of the hits in one query per type.
import { GraphQLError } from 'graphql'
import { recordSpec, type EntityType } from '../../records/model.ts'
import { DEFAULT_HITS, MATCH_KINDS, MAX_HITS, MAX_TEXT, search, searchInput, SEARCH_TYPES, type SearchHit } from '../../search/search.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { EntityTypeEnum, EntityUnion } from './entity.ts'
import { GRAPHQL_RU } from '../../i18n/ru-errors.ts'

const SearchMatchEnum = builder.enumType('SearchMatch', {
  description: 'What in the record matched the text',
  values: {
    key: { value: 'key', description: 'a business key: contract or inventory number, customer or address code' },
    address: { value: 'address', description: 'the address (for a contract or device: the address it is at)' },
    phone: { value: 'phone', description: 'the customer\'s phone, whole or a part of 5 or more digits' },
    inn: { value: 'inn', description: 'the customer\'s INN' },
    name: { value: 'name', description: 'the customer\'s name (for a contract: its customer\'s)' },
    serial: { value: 'serial', description: 'the device\'s serial number, whole or a part of it' },
    mac: { value: 'mac', description: 'the device\'s MAC address, whole or a part of it' },
  } satisfies Record<(typeof MATCH_KINDS)[number], unknown>,
})

type LoadedHit = SearchHit & { node: unknown }

const SearchHitRef = builder.objectRef<LoadedHit>('SearchHit').implement({
  description: 'A record the searched text most likely means',
  fields: (t) => ({
    type: t.field({ type: EntityTypeEnum, resolve: (h) => h.type }),
    key: t.exposeString('key', { description: 'business key' }),
    label: t.exposeString('label', { description: 'one line to show: the address; name and phone; number, product and address; product and serial' }),
    score: t.exposeFloat('score', { description: '0..1, higher is a better match; hits come best first' }),
    matchedBy: t.field({ type: SearchMatchEnum, resolve: (h) => h.matchedBy }),
    node: t.field({
      type: EntityUnion,
      nullable: true,
      description: 'the record itself (null only if it was deleted in the meantime)',
      resolve: (h) => h.node as never,
    }),
  }),
})

builder.queryFields((t) => ({
  search: t.field({
    type: [SearchHitRef],
    description: 'Fuzzy, Russian-aware search across addresses, customers, contracts and equipment for what a caller says: '
      + '«ленина 5 кв 12», «8 916 123-45-67», half a serial or MAC, a contract number, an INN, a name in any word order. '
      + 'Best first; only records in the key\'s markets.',
    authScopes: { readMasterData: true },
    args: {
      text: t.arg.string({ required: true, description: `1 to ${MAX_TEXT} characters (trimmed)` }),
      types: t.arg({
        type: [EntityTypeEnum],
        required: false,
        description: `limit to these record types (${SEARCH_TYPES.join(', ')}); default all of them`,
      }),
      first: t.arg.int({ required: false, defaultValue: DEFAULT_HITS, description: `how many hits, 1 to ${MAX_HITS}` }),
    },
    // validated here so that the one error names the search and lists each problem with its field
    resolve: async (_root, args, ctx) => {
      const input = searchInput.safeParse({ text: args.text, types: args.types, first: args.first })
      if (!input.success) {
        throw new GraphQLError(GRAPHQL_RU.badSearch(input.error.issues.map((i) => (i.path.length > 0 ? `${i.path[0].toString()}: ` : '') + i.message).join('; ')), {
          extensions: { code: 'BAD_USER_INPUT', problems: input.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message })) },
        })
      }
      return withNodes(ctx, await search(ctx.db, principalOf(ctx), input.data))
    },
  }),
}))

/** The hits with their records, one query per type (the service has already applied the market scope). */
async function withNodes(ctx: Context, hits: SearchHit[]): Promise<LoadedHit[]> {
  const nodes = new Map<string, unknown>()
  await Promise.all(SEARCH_TYPES.map(async (type) => {
    const ids = hits.filter((h) => h.type === type).map((h) => h.id)
    if (ids.length === 0) return
    // the Prisma delegate is named as the entity type, the GraphQL type as the Prisma model
    const typename = recordSpec(type).typeName
    const client = ctx.db.prisma[type] as unknown as { findMany(q: unknown): Promise<Array<{ id: number }>> }
    for (const row of await client.findMany({ where: { id: { in: ids } } })) nodes.set(`${type}:${row.id}`, { ...row, __typename: typename })
  }))
  return hits.map((h) => ({ ...h, type: h.type satisfies EntityType, node: nodes.get(`${h.type}:${h.id}`) ?? null }))
}
