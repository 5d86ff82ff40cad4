// Links between incidents and findings, in the domain service: what arrival links (the record itself and
// its neighbourhood, each finding once, the most direct reason), only open findings, and links by hand
// within the caller's markets with the actor recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveFinding } from '../../src/engine/findings.ts'
import { ConflictError, NotFoundError } from '../../src/errors.ts'
import { registerIncident } from '../../src/incidents/intake.ts'
import { linkIncident, unlinkIncident } from '../../src/incidents/linking.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { findingOn, loadHandMade, principal } from './fixture.ts'

describe.each(backends)('incident linking on %s', (backend) => {
  let db: TestDatabase
  let nsi: Awaited<ReturnType<typeof principal>>
  let spb: Awaited<ReturnType<typeof principal>>
  let overlap: string
  let inactive: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    nsi = await principal(db, 'NSI_SPECIALIST')
    spb = await principal(db, 'NSI_SPECIALIST', ['SPB'])
    overlap = await findingOn(db, 'contract-overlap', 'contract', 'D-7')
    inactive = await findingOn(db, 'equipment-on-inactive-contract', 'equipment', 'INV-9')
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('links through the neighbourhood: a customer reaches the findings on its contracts, each finding once', async () => {
    const r = await registerIncident(db, nsi.principal, { kind: 'INCIDENT', channel: 'PHONE', customer: 'C-1', contract: 'D-7' }, nsi.actor)
    const reasons = r.links.filter((l) => l.finding === overlap).map((l) => l.reason)
    // reached from the customer (a neighbour) and from the contract (itself): linked once, with the direct reason
    expect(reasons).toEqual(['договор D-7: находка правила contract-overlap по этой записи'])
    expect(new Set(r.links.map((l) => l.finding)).size).toBe(r.links.length)
    expect(r.links.every((l) => l.finding !== inactive)).toBe(true)
  })

  it('does not link findings that are no longer open', async () => {
    await resolveFinding(db, inactive, { actor: 'test', comment: 'fixed' })
    const r = await registerIncident(db, nsi.principal, { kind: 'INCIDENT', channel: 'PHONE', equipment: 'INV-9' }, nsi.actor)
    expect(r.links.map((l) => l.finding)).not.toContain(inactive)
  })

  it('links and unlinks by hand within the caller\'s markets, recording the actor', async () => {
    const r = await registerIncident(db, nsi.principal, { kind: 'COMPLAINT', channel: 'EMAIL', externalRef: 'CMP-1', description: 'жалоба без ссылок' }, nsi.actor)
    expect(r.links).toEqual([])
    await linkIncident(db, nsi.principal, { finding: overlap, incident: 'CMP-1', kind: 'COMPLAINT' }, { actor: nsi.actor })
    await expect(linkIncident(db, nsi.principal, { finding: overlap, incident: r.id }, { actor: nsi.actor })).rejects.toBeInstanceOf(ConflictError)
    const link = await db.prisma.findingIncident.findFirstOrThrow({ where: { incidentId: r.id } })
    expect(link).toMatchObject({ origin: 'MANUAL', actor: nsi.actor, reason: `linked by hand by ${nsi.actor}` })
    // an SPB key sees neither the MSK finding nor the incident without a market
    await expect(unlinkIncident(db, spb.principal, { finding: overlap, incident: r.id }, { actor: spb.actor })).rejects.toBeInstanceOf(NotFoundError)
    await unlinkIncident(db, nsi.principal, { finding: overlap, incident: r.id }, { actor: nsi.actor, reason: 'не то' })
    expect(await db.prisma.findingIncident.count({ where: { incidentId: r.id } })).toBe(0)
    const events = await db.prisma.findingEvent.findMany({ where: { finding: { fingerprint: overlap }, action: { in: ['incident-linked', 'incident-unlinked'] } }, orderBy: { id: 'asc' } })
    expect(events.filter((e) => (e.data as { incidentId?: string }).incidentId === r.id).map((e) => [e.action, e.actor, e.reason, e.data])).toEqual([
      ['incident-linked', nsi.actor, `linked by hand by ${nsi.actor}`, { incidentId: r.id, externalRef: 'CMP-1', kind: 'COMPLAINT', origin: 'MANUAL' }],
      ['incident-unlinked', nsi.actor, 'не то', { incidentId: r.id, externalRef: 'CMP-1', kind: 'COMPLAINT', origin: 'MANUAL' }],
    ])
  })
})
