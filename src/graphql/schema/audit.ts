// Audit runs: the list and lookup, `runAudit` (starts a run and answers at once with it, RUNNING) and
// the `auditProgress` subscription that streams a run's progress until it ends. A key limited to markets
// sees and starts only runs of its own markets.
import { GraphQLError } from 'graphql'
import { z } from '../../i18n/zod.ts'
import { seesMarket } from '../../access/scope.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import type { AuditRun } from '../../generated/prisma/client.ts'
import { AuditRunStatus, AuditTrigger } from '../../generated/prisma/enums.ts'
import { runAudit } from '../../audits/run.ts'
import { today } from '../../engine/audit.ts'
import { loadEffectiveCatalog } from '../../engine/overrides.ts'
import { FieldError } from '../../errors.ts'
import { queueAuditRun, type JobQueue } from '../../jobs/queue.ts'
import { moduleLogger } from '../../logger.ts'
import { builder } from '../builder.ts'
import { principalOf, type Context } from '../context.ts'
import { pubsub, type AuditProgressEvent } from '../pubsub.ts'
import { asResult, RESULT_ERRORS, scopeOf } from './common.ts'
import { pageBounds } from './connections.ts'
import { AUDIT_RU } from '../../i18n/ru-errors.ts'
import { PROBLEM_RU } from '../../i18n/ru.ts'

const log = moduleLogger('graphql-audit')

const AuditTriggerEnum = builder.enumType(AuditTrigger, { name: 'AuditTrigger' })
const AuditRunStatusEnum = builder.enumType(AuditRunStatus, { name: 'AuditRunStatus' })

interface Counts { new: number; open: number; resolved: number; reopened: number }

const AuditCountsRef = builder.objectRef<Counts>('AuditCounts').implement({
  description: 'What a run did to the findings of its scope',
  fields: (t) => ({
    new: t.exposeInt('new', { description: 'first seen by this run' }),
    open: t.exposeInt('open', { description: 'open after the run' }),
    resolved: t.exposeInt('resolved', { description: 'closed by this run' }),
    reopened: t.exposeInt('reopened', { description: 'brought back by this run' }),
  }),
})

function countsOf(json: unknown): Counts | null {
  const c = json as Partial<Counts> | null
  if (!c || typeof c.new !== 'number') return null
  return { new: c.new, open: c.open ?? 0, resolved: c.resolved ?? 0, reopened: c.reopened ?? 0 }
}

export const AuditRunRef = builder.prismaObject('AuditRun', {
  description: 'One audit: who started it, what it covered, how it went',
  // a run over every market is an unscoped key's; one over a market, that market's keys'
  authScopes: (r, ctx) => ({ visible: seesMarket(principalOf(ctx), r.marketCode) }),
  fields: (t) => ({
    id: t.exposeID('id'),
    trigger: t.expose('trigger', { type: AuditTriggerEnum }),
    actor: t.exposeString('actor'),
    rules: t.exposeStringList('rules', { description: 'the rules it evaluated (empty until it has picked them)' }),
    market: t.exposeString('marketCode', { nullable: true, description: 'the market it was limited to; null: all' }),
    asOf: t.expose('asOf', { type: 'Date', description: 'reference date of the date rules' }),
    status: t.expose('status', { type: AuditRunStatusEnum }),
    error: t.exposeString('error', { nullable: true, description: 'why a FAILED run failed' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    counts: t.field({ type: AuditCountsRef, nullable: true, description: 'null until it SUCCEEDED', resolve: (r) => countsOf(r.counts) }),
    timings: t.expose('timings', { type: 'JSON', description: 'milliseconds per phase and rule' }),
  }),
})

const AuditProgressRef = builder.objectRef<AuditProgressEvent>('AuditProgress').implement({
  description: 'A step of a running audit; the last one says how it ended',
  fields: (t) => ({
    runId: t.exposeID('runId'),
    ruleId: t.exposeString('ruleId', { nullable: true, description: 'the rule being evaluated; null before the first and after the last' }),
    done: t.exposeInt('done', { description: 'rules evaluated so far' }),
    total: t.exposeInt('total', { description: 'rules to evaluate (0 until known)' }),
    status: t.field({ type: AuditRunStatusEnum, resolve: (e) => e.status }),
    error: t.exposeString('error', { nullable: true, description: 'why the run FAILED' }),
    counts: t.field({ type: AuditCountsRef, nullable: true, description: 'once it SUCCEEDED', resolve: (e) => countsOf(e.counts) }),
  }),
})

export const AuditRunFilter = builder.inputType('AuditRunFilter', {
  description: 'Conditions an audit run must meet (all of those given)',
  fields: (t) => ({
    status: t.field({ type: AuditRunStatusEnum }),
    trigger: t.field({ type: AuditTriggerEnum }),
    market: t.string({ description: 'market code', validate: z.string().max(200) }),
  }),
})

function auditRunWhere(ctx: Context, filter: typeof AuditRunFilter.$inferInput | null | undefined): Prisma.AuditRunWhereInput {
  const and: Prisma.AuditRunWhereInput[] = [scopeOf(ctx).auditRun()]
  if (filter?.status) and.push({ status: filter.status })
  if (filter?.trigger) and.push({ trigger: filter.trigger })
  if (filter?.market != null) and.push({ marketCode: filter.market })
  return { AND: and }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A run by id the caller may see, or null (also for an id that is not a UUID). */
function visibleRun(ctx: Context, id: string) {
  return UUID.test(id) ? ctx.db.prisma.auditRun.findFirst({ where: { AND: [{ id }, scopeOf(ctx).auditRun()] } }) : Promise.resolve(null)
}

builder.queryFields((t) => ({
  auditRuns: t.prismaConnection({
    type: 'AuditRun',
    cursor: 'id',
    description: 'Audit runs the key may see, newest first',
    authScopes: { readMasterData: true, readFindings: true },
    args: { filter: t.arg({ type: AuditRunFilter }) },
    validate: pageBounds,
    totalCount: (_parent, args, ctx) => ctx.db.prisma.auditRun.count({ where: auditRunWhere(ctx, args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.db.prisma.auditRun.findMany({
      ...query, where: auditRunWhere(ctx, args.filter), orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    }),
  }),
  auditRun: t.prismaField({
    type: 'AuditRun',
    nullable: true,
    description: 'An audit run by id; null when there is none the key may see',
    authScopes: { readMasterData: true, readFindings: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => (UUID.test(String(args.id))
      ? ctx.db.prisma.auditRun.findFirst({ ...query, where: { AND: [{ id: String(args.id) }, scopeOf(ctx).auditRun()] } })
      : null),
  }),
}))

// ─── starting a run without waiting for it ───

/** The run's last event, from its stored state. */
function finalEvent(run: AuditRun, total: number): AuditProgressEvent {
  const rules = run.rules.length || total
  return {
    runId: run.id, ruleId: null, done: run.status === 'SUCCEEDED' ? rules : 0, total: rules, status: run.status,
    error: run.error, counts: run.status === 'SUCCEEDED' ? (countsOf(run.counts) as unknown as Record<string, number>) : null,
  }
}

// the latest step of each run started here, for a subscriber that comes in the middle of it
const latestProgress = new Map<string, AuditProgressEvent>()

function publishProgress(event: AuditProgressEvent) {
  if (event.status === 'RUNNING') latestProgress.set(event.runId, event)
  else latestProgress.delete(event.runId)
  pubsub.publish('auditProgress', event.runId, event)
}

/**
 * Starts an audit in the background and answers with its id once the run is recorded; progress and the
 * outcome go to the `auditProgress` channel. A failure before the run exists (bad input) rejects instead.
 */
function startAudit(ctx: Context, options: { ruleIds?: string[]; market?: string; asOf?: string }): Promise<string> {
  const { db } = ctx
  return new Promise((resolve, reject) => {
    let runId: string | null = null
    let total = 0
    let done = 0
    const publishFinal = async () => {
      if (!runId) return
      const run = await db.prisma.auditRun.findUnique({ where: { id: runId } })
      if (!run) return
      const last = finalEvent(run, total)
      publishProgress(run.status === 'FAILED' ? { ...last, done } : last)
    }
    runAudit(db, {
      ...options,
      trigger: 'API',
      actor: ctx.actor,
      onStart: (id) => {
        runId = id
        resolve(id)
      },
      onProgress: (ruleId, index, n) => {
        total = n
        done = index
        if (runId) publishProgress({ runId, ruleId: ruleId || null, done: index, total: n, status: 'RUNNING', error: null, counts: null })
      },
    }).then(
      () => publishFinal(),
      async (e: unknown) => {
        if (!runId) return reject(e instanceof Error ? e : new Error(String(e)))
        log.warn({ runId, err: e }, 'audit started through the API failed')
        await publishFinal()
      },
    ).catch((e: unknown) => log.error({ runId, err: e }, 'could not report the end of an audit run'))
  })
}

/**
 * Records the run QUEUED and adds its job for the workers, who take it over under the same id. When the queue
 * does not take the job within a few seconds (Redis away), the run is dropped again and null returned: the
 * caller runs the audit here instead.
 */
async function queueAudit(ctx: Context, jobs: JobQueue, scope: { ruleIds?: string[]; market?: string; asOf?: string }) {
  const job = { trigger: 'API' as const, actor: ctx.actor, asOf: scope.asOf ?? today(), ...(scope.ruleIds ? { rules: scope.ruleIds } : {}), ...(scope.market ? { market: scope.market } : {}) }
  return queueAuditRun(ctx.db, jobs, job, 'api').catch((e: Error) => {
    log.warn({ err: e.message }, 'audit not queued: run in this process instead')
    return null
  })
}

/** Checks what runAudit would refuse only after recording a run, so the caller gets ValidationFailed instead of a FAILED run. */
async function checkAuditInput(ctx: Context, args: { rules?: readonly string[] | null; market?: string | null }) {
  const { markets } = principalOf(ctx)
  // checked here rather than with `validate:` on the arguments, so that a refusal is a result of the mutation
  if (args.rules && args.rules.length > 100) throw new FieldError('rules', AUDIT_RU.tooManyRules(100))
  if (args.market && args.market.length > 200) throw new FieldError('market', PROBLEM_RU.tooLong(200))
  // an empty market is no market: refused rather than read as «every market»
  if (args.market != null && args.market.trim() === '') throw new FieldError('market', AUDIT_RU.marketEmpty)
  if (markets !== null) {
    if (!args.market) throw new FieldError('market', AUDIT_RU.keyMarketRequired(markets))
    if (!markets.includes(args.market)) throw new FieldError('market', AUDIT_RU.keyMarketOutside(markets, args.market))
  }
  if (args.market) {
    const found = await ctx.db.prisma.market.findUnique({ where: { code: args.market }, select: { id: true } })
    if (!found) throw new FieldError('market', AUDIT_RU.noMarket(args.market))
  }
  if (args.rules && args.rules.length > 0) {
    const catalog = await loadEffectiveCatalog(ctx.db)
    const unknown = args.rules.filter((id) => !catalog.get(id))
    if (unknown.length) throw new FieldError('rules', AUDIT_RU.unknownRules(unknown))
    const off = args.rules.filter((id) => !catalog.get(id)!.enabled)
    if (off.length) throw new FieldError('rules', AUDIT_RU.switchedOff(off))
  }
}

builder.mutationFields((t) => ({
  runAudit: t.field({
    type: AuditRunRef,
    description: 'Starts an audit and answers at once with the run (RUNNING; QUEUED where workers run audits); follow it with the auditProgress subscription or auditRun(id). '
      + 'A key limited to markets must name one of its markets.',
    authScopes: { runAudit: true },
    errors: { types: RESULT_ERRORS },
    args: {
      rules: t.arg.stringList({ description: 'rule ids; default every enabled rule' }),
      market: t.arg.string({ description: 'limit to one market\'s data' }),
      asOf: t.arg({ type: 'Date', description: 'reference date; default today' }),
    },
    resolve: (_root, args, ctx) => asResult(async () => {
      await checkAuditInput(ctx, args)
      const scope = {
        ...(args.rules && args.rules.length > 0 ? { ruleIds: [...args.rules] } : {}),
        ...(args.market ? { market: args.market } : {}),
        ...(args.asOf ? { asOf: args.asOf } : {}),
      }
      // with workers (BullMQ) the audit is theirs, and this server stays free for the agents' requests
      const queued = ctx.jobs?.kind === 'bullmq' ? await queueAudit(ctx, ctx.jobs, scope) : null
      if (queued) return queued
      const runId = await startAudit(ctx, scope)
      return ctx.db.prisma.auditRun.findUniqueOrThrow({ where: { id: runId } })
    }),
  }),
}))

// ─── following a run ───

// a run started by another process publishes nothing here: its stored state is looked at this often
const POLL_MS = 2000

/** a run not over yet: waiting for a worker, or running */
const ongoing = (status: string) => status === 'RUNNING' || status === 'QUEUED'

builder.subscriptionType({})

builder.subscriptionField('auditProgress', (t) => t.field({
  type: AuditProgressRef,
  description: 'The progress of an audit run until it ends; a run already over gives its final state once',
  authScopes: { readMasterData: true, readFindings: true },
  args: { runId: t.arg.id({ required: true }) },
  subscribe: async (_root, args, ctx) => {
    const runId = String(args.runId)
    const events = pubsub.subscribe('auditProgress', runId)
    // the first pull starts listening: nothing published from here on is missed while the run is read
    let pull: Promise<IteratorResult<AuditProgressEvent>> = events.next()
    const run = await visibleRun(ctx, runId)
    if (!run) {
      await events.return()
      throw new GraphQLError(AUDIT_RU.notFound(runId), { extensions: { code: 'NOT_FOUND' } })
    }
    return (async function* progress(): AsyncGenerator<AuditProgressEvent> {
      try {
        if (!ongoing(run.status)) {
          yield finalEvent(run, 0)
          return
        }
        // a subscriber in the middle of a run starts from its latest step; steps queued meanwhile that are
        // not newer than that one are skipped
        const latest = latestProgress.get(runId)
        if (latest) yield latest
        for (;;) {
          let timer: NodeJS.Timeout | undefined
          const tick = new Promise<'tick'>((resolve) => { timer = setTimeout(() => resolve('tick'), POLL_MS) })
          const next = await Promise.race([pull, tick])
          clearTimeout(timer)
          if (next === 'tick') {
            const now = await ctx.db.prisma.auditRun.findUnique({ where: { id: runId } })
            if (!now || !ongoing(now.status)) {
              if (now) yield finalEvent(now, 0)
              return
            }
            continue
          }
          if (next.done) return
          const stale = latest && next.value.status === 'RUNNING' && (next.value === latest || next.value.done < latest.done)
          if (!stale) yield next.value
          if (next.value.status !== 'RUNNING') return
          pull = events.next()
        }
      } finally {
        await events.return()
      }
    })()
  },
  resolve: (event) => event,
}))
