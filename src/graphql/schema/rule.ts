// The rule catalogue as it is in force (rule files plus stored overrides), and the overrides that switch
// a rule off or re-parameterise it without a release.
import { z } from '../../i18n/zod.ts'
import { clearRuleOverride, loadEffectiveCatalog, setRuleOverride } from '../../engine/overrides.ts'
import type { RuleMeta } from '../../engine/types.ts'
import { NotFoundError } from '../../errors.ts'
import { builder } from '../builder.ts'
import type { Context } from '../context.ts'
import { asResult, RESULT_ERRORS } from './common.ts'
import { EntityTypeEnum } from './entity.ts'
import { SeverityEnum } from './finding.ts'
import { RULE_RU } from '../../i18n/ru-errors.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'

interface StoredOverrideView {
  enabled: boolean | null
  severity: RuleMeta['severity'] | null
  params: unknown
  updatedBy: string
  updatedAt: Date
}

/** A rule in force and the override stored for it, if any. */
interface RuleView { rule: RuleMeta; override: StoredOverrideView | null }

const RuleTitleRef = builder.objectRef<RuleMeta['title']>('RuleTitle').implement({
  fields: (t) => ({ ru: t.exposeString('ru'), en: t.exposeString('en') }),
})

const RuleOverrideRef = builder.objectRef<StoredOverrideView>('RuleOverride').implement({
  description: 'What a stored override changes; null fields keep the rule file\'s value',
  fields: (t) => ({
    enabled: t.exposeBoolean('enabled', { nullable: true }),
    severity: t.field({ type: SeverityEnum, nullable: true, resolve: (o) => o.severity }),
    params: t.expose('params', { type: 'JSON', nullable: true, description: 'merged over the file\'s params' }),
    updatedBy: t.exposeString('updatedBy'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

const RuleRef = builder.objectRef<RuleView>('Rule').implement({
  description: 'A rule of the catalogue, as in force (its file with the stored override applied)',
  fields: (t) => ({
    id: t.string({ resolve: (v) => v.rule.id }),
    title: t.field({ type: RuleTitleRef, resolve: (v) => v.rule.title }),
    message: t.string({ description: 'message template (Russian)', resolve: (v) => v.rule.message.ru }),
    severity: t.field({ type: SeverityEnum, description: 'in force', resolve: (v) => v.rule.severity }),
    enabled: t.boolean({ resolve: (v) => v.rule.enabled }),
    kind: t.string({ description: 'detector kind (unique, overlap, predicate, …, or custom)', resolve: (v) => v.rule.kind }),
    entityTypes: t.field({ type: [EntityTypeEnum], description: 'the entity types it reads', resolve: (v) => v.rule.reads }),
    params: t.field({ type: 'JSON', nullable: true, description: 'in force', resolve: (v) => v.rule.params ?? null }),
    supportLine: t.int({ nullable: true, description: 'routing hint: default support line', resolve: (v) => v.rule.routing?.line ?? null }),
    group: t.string({ nullable: true, description: 'routing hint: default responsible group', resolve: (v) => v.rule.routing?.group ?? null }),
    overridden: t.boolean({ description: 'a stored override is in force', resolve: (v) => v.override !== null }),
    override: t.field({ type: RuleOverrideRef, nullable: true, resolve: (v) => v.override }),
    source: t.string({ description: 'the rule file', resolve: (v) => v.rule.source }),
  }),
})

/** Every rule in force with its stored override, by id. */
async function ruleViews(ctx: Context): Promise<RuleView[]> {
  const [catalog, stored] = await Promise.all([loadEffectiveCatalog(ctx.db), ctx.db.prisma.ruleOverride.findMany()])
  const overrides = new Map(stored.map((o) => [o.ruleId, o]))
  return catalog.rules.map((rule) => {
    const o = overrides.get(rule.id)
    return { rule, override: o ? { enabled: o.enabled, severity: o.severity, params: o.params, updatedBy: o.updatedBy, updatedAt: o.updatedAt } : null }
  })
}

async function ruleView(ctx: Context, ruleId: string): Promise<RuleView> {
  const view = (await ruleViews(ctx)).find((v) => v.rule.id === ruleId)
  if (!view) throw new NotFoundError(RULE_RU.notFound(ruleId))
  return view
}

const ruleIdArg = z.string().trim().min(1, PROBLEM_RU.empty).max(200, PROBLEM_RU.tooLong(200))

builder.queryFields((t) => ({
  rules: t.field({
    type: [RuleRef],
    description: 'The rule catalogue as in force, by id',
    authScopes: { readMasterData: true, readFindings: true },
    resolve: (_root, _args, ctx) => ruleViews(ctx),
  }),
  rule: t.field({
    type: RuleRef,
    nullable: true,
    description: 'A rule by id',
    authScopes: { readMasterData: true, readFindings: true },
    args: { id: t.arg.string({ required: true, validate: ruleIdArg }) },
    resolve: async (_root, args, ctx) => (await ruleViews(ctx)).find((v) => v.rule.id === args.id) ?? null,
  }),
}))

builder.mutationFields((t) => ({
  setRuleOverride: t.field({
    type: RuleRef,
    description: 'Switches a rule on or off, changes its severity or parameters, without a release. A field left out keeps its stored '
      + 'value; null goes back to the rule file\'s. Parameters are merged over the file\'s and checked by the rule\'s kind. '
      + 'An override applies to every market: keys limited to markets may not make one.',
    authScopes: { $all: { manageRules: true, unscoped: true } },
    errors: { types: RESULT_ERRORS },
    args: {
      ruleId: t.arg.string({ required: true }),
      enabled: t.arg.boolean(),
      severity: t.arg({ type: SeverityEnum }),
      params: t.arg({ type: 'JSON' }),
    },
    resolve: (_root, args, ctx) => asResult(async () => {
      await ruleView(ctx, args.ruleId)
      await setRuleOverride(ctx.db, args.ruleId, {
        ...(args.enabled !== undefined ? { enabled: args.enabled } : {}),
        ...(args.severity !== undefined ? { severity: args.severity } : {}),
        ...(args.params !== undefined ? { params: args.params } : {}),
      }, ctx.actor)
      return ruleView(ctx, args.ruleId)
    }),
  }),
  resetRuleOverride: t.field({
    type: RuleRef,
    description: 'Drops a rule\'s stored override: its file is in force again (keys without a market limit only)',
    authScopes: { $all: { manageRules: true, unscoped: true } },
    errors: { types: RESULT_ERRORS },
    args: { ruleId: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => asResult(async () => {
      await ruleView(ctx, args.ruleId)
      await clearRuleOverride(ctx.db, args.ruleId)
      return ruleView(ctx, args.ruleId)
    }),
  }),
}))
