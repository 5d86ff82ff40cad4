// The survivor of a merge as the SPEC proposes it: the most complete record (most import columns filled), then the
// one with the most links (contracts + devices + incidents), then the oldest, then the smallest key. Pure.
import type { MergeMember, SurvivorReason } from './types.ts'

const links = (m: MergeMember) => m.contracts + m.devices + m.incidents

/** The SPEC's order: -1 when `a` is the better survivor. */
function compare(a: MergeMember, b: MergeMember): number {
  if (a.filled !== b.filled) return b.filled - a.filled
  if (links(a) !== links(b)) return links(b) - links(a)
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt.getTime() - b.createdAt.getTime()
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}

/** The members best first: the proposal, then the order in which an empty field of the survivor is filled. */
export function proposalOrder(members: readonly MergeMember[]): MergeMember[] {
  return [...members].sort(compare)
}

/** The proposed survivor and the first criterion of the SPEC's order that sets it apart from the runner-up. */
export function proposeSurvivor(members: readonly MergeMember[]): { key: string; reason: SurvivorReason } {
  if (members.length === 0) throw new Error('proposeSurvivor: no members')
  const [best, next] = proposalOrder(members)
  if (!next) return { key: best.key, reason: 'complete' }
  const reason: SurvivorReason = best.filled !== next.filled ? 'complete'
    : links(best) !== links(next) ? 'links'
      : best.createdAt.getTime() !== next.createdAt.getTime() ? 'oldest'
        : 'key'
  return { key: best.key, reason }
}
