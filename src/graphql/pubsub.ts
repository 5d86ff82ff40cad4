// In-process events for GraphQL subscriptions (served over SSE by graphql-yoga): an audit's progress.
// Audits started through the API run in this process, so an in-memory channel reaches every subscriber.
import { createPubSub } from 'graphql-yoga'
import type { AuditRunStatus } from '../generated/prisma/enums.ts'

/** One step of an audit: the rule being evaluated, rules done of the total; the last event carries the outcome. */
export interface AuditProgressEvent {
  runId: string
  /** the rule now being evaluated; null before the first and once detection is over */
  ruleId: string | null
  done: number
  total: number
  status: AuditRunStatus
  /** why a FAILED run failed */
  error: string | null
  /** the run's counts, once it SUCCEEDED */
  counts: Record<string, number> | null
}

export const pubsub = createPubSub<{ auditProgress: [runId: string, event: AuditProgressEvent] }>()
