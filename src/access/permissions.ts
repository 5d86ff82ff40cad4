// What each role may do. One table, read by the GraphQL layer's auth scopes and by the REST intake,
// and printed in the README; the authorisation matrix test walks it.
import type { Role } from '../generated/prisma/enums.ts'

export const PERMISSIONS = {
  /** master data, search, audit runs, rules */
  readMasterData: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN'],
  /**
   * customers' personal data: a person's name in full, phone, INN and e-mail, and finding people by them.
   * Support agents talk to callers and NSI specialists correct the records; auditors and service desks see
   * a person's initials only (companies are not personal data: every reader sees them whole)
   */
  readPersonalData: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN'],
  /** findings, their events and conflicts around a record */
  readFindings: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN', 'SERVICE_DESK'],
  /** create, update, delete master data */
  writeMasterData: ['NSI_SPECIALIST', 'ADMIN'],
  /** merge duplicate addresses and customers, undo a merge, mark records «not a duplicate» (and remove the mark) */
  mergeRecords: ['NSI_SPECIALIST', 'ADMIN'],
  /** evaluate a record without storing it */
  checkConflicts: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN'],
  /** acknowledge, assign, start, resolve, waive, reopen findings */
  workFindings: ['NSI_SPECIALIST', 'ADMIN'],
  /** comment on a finding */
  commentFindings: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN'],
  /** start an audit */
  runAudit: ['NSI_SPECIALIST', 'ADMIN'],
  /** register incidents and complaints */
  intake: ['NSI_SPECIALIST', 'SUPPORT_AGENT', 'ADMIN', 'SERVICE_DESK'],
  /** switch rules off and on, re-parameterise them (stored overrides) */
  manageRules: ['NSI_SPECIALIST', 'ADMIN'],
  /** audit schedules and the mail subscriptions of discrepancy lists */
  manageSchedules: ['NSI_SPECIALIST', 'ADMIN'],
  /** API keys, queues */
  admin: ['ADMIN'],
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role)
}
