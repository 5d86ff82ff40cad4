// Intake: every channel, the same delivery twice (also at once), references as business keys and as free
// text (an address as typed, a serial and a phone in another notation, an INN), unknown and ambiguous
// references kept as text, market scope, validation — on a hand-made dataset and on a seeded one.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../src/audits/run.ts'
import { ValidationFailed } from '../../src/errors.ts'
import { importDirectory } from '../../src/import/importer.ts'
import { registerIncident } from '../../src/incidents/intake.ts'
import { generateSeed } from '../../src/seed/generate.ts'
import { tempDir } from '../helpers/csv.ts'
import { backends, testDatabase, type TestDatabase } from '../helpers/db.ts'
import { findingOn, loadHandMade, principal } from './fixture.ts'

const counts = async (db: TestDatabase) => (await db.sql.query<{ incidents: number; links: number; events: number }>(`
  SELECT (SELECT count(*)::int FROM incident) AS incidents, (SELECT count(*)::int FROM finding_incident) AS links,
    (SELECT count(*)::int FROM finding_event WHERE action LIKE 'incident-%') AS events`)).rows[0]

describe.each(backends)('incident intake on %s (hand-made data)', (backend) => {
  let db: TestDatabase
  let desk: Awaited<ReturnType<typeof principal>>
  let spbDesk: Awaited<ReturnType<typeof principal>>
  let overlap: string
  let inactive: string

  beforeAll(async () => {
    db = await testDatabase(backend)
    await loadHandMade(db)
    desk = await principal(db, 'SERVICE_DESK')
    spbDesk = await principal(db, 'SERVICE_DESK', ['SPB'])
    overlap = await findingOn(db, 'contract-overlap', 'contract', 'D-7')
    inactive = await findingOn(db, 'equipment-on-inactive-contract', 'equipment', 'INV-9')
  }, 120_000)
  afterAll(async () => { await db?.close() })

  it('resolves an address as typed and a serial in another notation, and links the open findings behind them, saying why', async () => {
    const r = await registerIncident(db, desk.principal, {
      kind: 'INCIDENT', channel: 'EXTERNAL_SYSTEM', externalRef: 'INC-100', address: 'ленина 5 кв 12', equipment: 'hwtc-8dce-f9f6', description: 'нет интернета',
    }, desk.actor)
    expect(r.created).toBe(true)
    expect(r.unresolved).toEqual([])
    expect(r.resolved.map(({ field, value, type, key, how }) => ({ field, value, type, key, how }))).toEqual([
      { field: 'address', value: 'ленина 5 кв 12', type: 'address', key: 'A-1', how: 'address normalised' },
      { field: 'equipment', value: 'hwtc-8dce-f9f6', type: 'equipment', key: 'INV-9', how: 'serial normalised' },
    ])
    const byFinding = new Map(r.links.map((l) => [l.finding, l]))
    expect(byFinding.get(overlap)).toMatchObject({ ruleId: 'contract-overlap' })
    expect(byFinding.get(overlap)!.reason).toMatch(/^адрес A-1 \(введено «ленина 5 кв 12», совпадение по адресу после нормализации\): находка правила contract-overlap, связанная запись — договор D-(1|7) по этому адресу$/)
    expect(byFinding.get(inactive)!.reason).toBe('оборудование INV-9 (введено «hwtc-8dce-f9f6», совпадение по серийному номеру): находка правила equipment-on-inactive-contract по этой записи')
    // the records span MSK and SPB: no single market
    expect(r.marketCode).toBeNull()

    const stored = await db.prisma.incident.findUniqueOrThrow({ where: { id: r.id }, include: { findings: true } })
    expect(stored).toMatchObject({ kind: 'INCIDENT', channel: 'EXTERNAL_SYSTEM', addressRef: 'ленина 5 кв 12', equipmentRef: 'hwtc-8dce-f9f6', createdBy: desk.actor })
    expect(stored.findings.every((l) => l.origin === 'AUTO' && l.actor === desk.actor)).toBe(true)
    const events = await db.prisma.findingEvent.findMany({ where: { action: 'incident-linked', finding: { fingerprint: overlap } } })
    expect(events.map((e) => e.data)).toContainEqual({ incidentId: r.id, externalRef: 'INC-100', kind: 'INCIDENT', origin: 'AUTO' })
  })

  it('takes incidents and complaints from every channel', async () => {
    for (const channel of ['PHONE', 'EMAIL', 'FAX', 'EXTERNAL_SYSTEM'] as const) {
      for (const kind of ['INCIDENT', 'COMPLAINT'] as const) {
        const r = await registerIncident(db, desk.principal, { kind, channel, contract: 'D-7', description: `${kind} by ${channel}` }, desk.actor)
        expect(r.created).toBe(true)
        expect(r.resolved.map((x) => [x.key, x.how])).toEqual([['D-7', 'exact key']])
        expect(r.links.map((l) => l.finding)).toContain(overlap)
        expect(r.links.find((l) => l.finding === overlap)!.reason).toBe('договор D-7: находка правила contract-overlap по этой записи')
        expect(r.marketCode).toBe('MSK')
        expect(await db.prisma.incident.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ kind, channel, contractRef: 'D-7' })
      }
    }
  })

  it('answers the same delivery again with the same incident and changes nothing; also when both arrive at once', async () => {
    const input = { kind: 'INCIDENT' as const, channel: 'EMAIL' as const, externalRef: 'REMEDY-42', contract: 'D-7', description: 'первый раз' }
    const first = await registerIncident(db, desk.principal, input, desk.actor)
    const before = await counts(db)
    const again = await registerIncident(db, desk.principal, { ...input, description: 'повтор', address: 'ленина 7 кв 3' }, desk.actor)
    expect(again.created).toBe(false)
    expect(again.id).toBe(first.id)
    expect(again.links.map((l) => l.finding).sort()).toEqual(first.links.map((l) => l.finding).sort())
    expect(again.resolved.map((x) => [x.field, x.key, x.how])).toEqual([['contract', 'D-7', 'exact key']])
    expect(await counts(db)).toEqual(before)
    expect((await db.prisma.incident.findUniqueOrThrow({ where: { id: first.id } })).description).toBe('первый раз')
    // the same reference as a complaint is another thing
    const complaint = await registerIncident(db, desk.principal, { ...input, kind: 'COMPLAINT' }, desk.actor)
    expect(complaint.created).toBe(true)
    expect(complaint.id).not.toBe(first.id)

    const racing = { kind: 'INCIDENT' as const, channel: 'PHONE' as const, externalRef: 'REMEDY-43', contract: 'D-7' }
    const [a, b] = await Promise.all([registerIncident(db, desk.principal, racing, desk.actor), registerIncident(db, desk.principal, racing, desk.actor)])
    expect(a.id).toBe(b.id)
    expect([a.created, b.created].sort()).toEqual([false, true])
    expect(await db.prisma.incident.count({ where: { externalRef: 'REMEDY-43' } })).toBe(1)
    expect(await db.prisma.findingIncident.count({ where: { incidentId: a.id } })).toBe(a.created ? a.links.length : b.links.length)
  })

  it('keeps unknown and ambiguous references as text, with the reason, and without an externalRef always makes a new incident', async () => {
    const input = { kind: 'COMPLAINT' as const, channel: 'FAX' as const, customer: 'Пупкин Василий', contract: 'D-404', address: 'ленина 7 кв 3', equipment: 'ZZZ-000' }
    const r = await registerIncident(db, desk.principal, input, desk.actor)
    expect(r.resolved).toEqual([])
    expect(r.links).toEqual([])
    expect(r.unresolved).toEqual([
      { field: 'customer', value: 'Пупкин Василий', reason: 'ни одна запись типа «клиент» не совпала (проверено: по ключу, по имени)' },
      { field: 'address', value: 'ленина 7 кв 3', reason: 'неоднозначно, совпадений по адресу после нормализации: 2 — записи типа «адрес» (A-3, A-4)' },
      { field: 'contract', value: 'D-404', reason: 'ни одна запись типа «договор» не совпала (проверено: по ключу)' },
      { field: 'equipment', value: 'ZZZ-000', reason: 'ни одна запись типа «оборудование» не совпала (проверено: по ключу, по серийному номеру)' },
    ])
    const stored = await db.prisma.incident.findUniqueOrThrow({ where: { id: r.id } })
    expect(stored).toMatchObject({ customerRef: 'Пупкин Василий', contractRef: 'D-404', addressRef: 'ленина 7 кв 3', equipmentRef: 'ZZZ-000', customerId: null, contractId: null })
    expect(stored.unresolved).toEqual(r.unresolved)
    const second = await registerIncident(db, desk.principal, input, desk.actor)
    expect(second.id).not.toBe(r.id)
  })

  it('recognises a phone in any notation, an INN, a MAC and a name written otherwise', async () => {
    const r = await registerIncident(db, desk.principal, { kind: 'INCIDENT', channel: 'PHONE', customer: '8 (916) 123 45 67', equipment: '4857.02aa.bbcc' }, desk.actor)
    expect(r.resolved.map((x) => [x.key, x.how])).toEqual([['C-1', 'phone normalised'], ['INV-9', 'MAC normalised']])
    const inn = await registerIncident(db, desk.principal, { kind: 'INCIDENT', channel: 'PHONE', customer: '7701234567' }, desk.actor)
    expect(inn.resolved.map((x) => [x.key, x.how])).toEqual([['C-2', 'INN']])
    const name = await registerIncident(db, desk.principal, { kind: 'INCIDENT', channel: 'PHONE', customer: 'иван иванович ИВАНОВ', address: 'A-2' }, desk.actor)
    expect(name.resolved.map((x) => [x.key, x.how])).toEqual([['C-1', 'name normalised'], ['A-2', 'exact key']])
  })

  it('resolves only records of the key\'s markets: another market\'s stay unresolved and nothing of it is linked', async () => {
    const r = await registerIncident(db, spbDesk.principal, {
      kind: 'INCIDENT', channel: 'PHONE', address: 'ленина 5 кв 12', contract: 'D-7', customer: '+7 916 123-45-67',
    }, spbDesk.actor)
    expect(r.resolved).toEqual([])
    expect(r.links).toEqual([])
    expect(r.unresolved.map((u) => u.field)).toEqual(['customer', 'address', 'contract'])
    // the key's own market is the incident's, so it sees what it registered
    expect(r.marketCode).toBe('SPB')
    // the same words name only the SPB house for an SPB key
    const own = await registerIncident(db, spbDesk.principal, { kind: 'INCIDENT', channel: 'PHONE', address: 'ленина 7 кв 3', equipment: 'HWTC 8DCE F9F6' }, spbDesk.actor)
    expect(own.resolved.map((x) => [x.key, x.how, x.markets])).toEqual([['A-4', 'address normalised', ['SPB']], ['INV-9', 'serial normalised', ['SPB']]])
    expect(own.links.map((l) => l.finding)).toContain(inactive)
    expect(own.links.map((l) => l.finding)).not.toContain(overlap)
    expect(own.marketCode).toBe('SPB')
  })

  it('refuses input without a description or any reference, and bad channels and lengths, field by field', async () => {
    const refused = async (input: Record<string, unknown>) => {
      try {
        await registerIncident(db, desk.principal, input as never, desk.actor)
      } catch (e) {
        if (e instanceof ValidationFailed) return e.problems.map((p) => [p.field, p.code])
        throw e
      }
      throw new Error('accepted')
    }
    expect(await refused({ kind: 'INCIDENT', channel: 'PHONE', description: '  ' })).toEqual([[null, 'REQUIRED']])
    expect(await refused({ kind: 'INCIDENT', channel: 'PIGEON', description: 'x' })).toEqual([['channel', 'INVALID_VALUE']])
    expect(await refused({ kind: 'INCIDENT', channel: 'PHONE', externalRef: 'x'.repeat(101), contract: 'D-7' })).toEqual([['externalRef', 'TOO_LONG']])
    expect(await refused({ kind: 'INCIDENT', channel: 'PHONE', address: 5 })).toEqual([['address', 'INVALID_TYPE']])
  })
})

describe.each(backends)('incident intake on %s (seeded data)', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const dir = tempDir('sverka-intake-seed-')
    await generateSeed({ scale: 200, seed: 5, out: join(dir, 'seed'), asOf: '2026-01-31' })
    await importDirectory(db, join(dir, 'seed'))
    await runAudit(db, { trigger: 'CLI', actor: 'test', asOf: '2026-01-31' })
  }, 180_000)
  afterAll(async () => { await db?.close() })

  it('links a free-text address and a re-written serial to the open findings on those records', async () => {
    // an open contract-overlap finding, and the address of its contracts written as a person would
    const { rows: [place] } = await db.sql.query<{ fingerprint: string; code: string; normalized: string }>(`
      SELECT f.fingerprint, a.code, a.normalized FROM finding f JOIN finding_entity fe ON fe."findingId" = f.id AND fe."entityType" = 'contract'
        JOIN contract c ON c.number = fe."entityKey" JOIN address a ON a.id = c."addressId"
      WHERE f."ruleId" = 'contract-overlap' AND f.status IN ('NEW', 'OPEN') AND split_part(a.normalized, '|', 7) <> ''
        AND split_part(a.normalized, '|', 5) = '' AND split_part(a.normalized, '|', 6) = ''
      ORDER BY f.fingerprint LIMIT 1`)
    expect(place).toBeDefined()
    const [city, , street, house, , , flat] = place.normalized.split('|')
    const typed = `${city} ${street} ${house} ${flat.replace('кв', 'кв ')}`
    // an open finding naming a device whose serial no other device has; the serial re-written in lower case with dashes
    const { rows: [device] } = await db.sql.query<{ fingerprint: string; key: string; serial: string }>(`
      SELECT f.fingerprint, e."inventoryNo" AS key, e."serialNorm" AS serial FROM finding f
        JOIN finding_entity fe ON fe."findingId" = f.id AND fe."entityType" = 'equipment' JOIN equipment e ON e."inventoryNo" = fe."entityKey"
      WHERE f.status IN ('NEW', 'OPEN') AND e."serialNorm" IS NOT NULL AND length(e."serialNorm") >= 8
        AND (SELECT count(*) FROM equipment x WHERE x."serialNorm" = e."serialNorm") = 1
      ORDER BY f.fingerprint LIMIT 1`)
    expect(device).toBeDefined()
    const rewritten = device.serial.toLowerCase().match(/.{1,4}/g)!.join('-')
    const desk = await principal(db, 'SERVICE_DESK')
    const r = await registerIncident(db, desk.principal, { kind: 'INCIDENT', channel: 'EXTERNAL_SYSTEM', externalRef: 'SEED-1', address: typed, equipment: rewritten }, desk.actor)
    expect(r.unresolved).toEqual([])
    expect(r.resolved.map((x) => [x.field, x.key, x.how])).toEqual([['address', place.code, 'address normalised'], ['equipment', device.key, 'serial normalised']])
    const linked = new Map(r.links.map((l) => [l.finding, l.reason]))
    expect(linked.get(place.fingerprint)).toContain(`адрес ${place.code} (введено «${typed}», совпадение по адресу после нормализации): находка правила contract-overlap, связанная запись — договор`)
    expect(linked.get(device.fingerprint)).toContain(`оборудование ${device.key} (введено «${rewritten}», совпадение по серийному номеру)`)
    // every link is to an open finding
    const { rows } = await db.sql.query<{ status: string }>(`SELECT status::text FROM finding WHERE fingerprint = ANY($1::text[])`, [[...linked.keys()]])
    expect(rows.every((x) => ['NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'REOPENED'].includes(x.status))).toBe(true)
  })
})

describe.each(backends)('incident intake on %s: a reference naming a duplicate (the demo showcase)', (backend) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await testDatabase(backend)
    const { loadDemo } = await import('../../src/seed/demo.ts')
    await loadDemo(db, { scale: 150 })
  }, 180_000)
  afterAll(async () => { await db?.close() })

  it('resolves to every record of a flat entered twice and of a serial registered twice, and links the duplicate findings', async () => {
    const desk = await principal(db, 'SERVICE_DESK')
    const { rows: [stored] } = await db.sql.query<{ serial: string }>(`SELECT serial FROM equipment WHERE "inventoryNo" = 'INV-DEMO-1'`)
    const otherNotation = stored.serial.replace(/-/g, '').toUpperCase().replace(/^(.{3})(.{4})/, '$1 $2 ')
    const r = await registerIncident(db, desk.principal, {
      kind: 'INCIDENT', channel: 'PHONE', externalRef: 'INC-DUP-1', address: 'ленина 5 кв 12', equipment: otherNotation, description: 'нет интернета',
    }, desk.actor)
    expect(r.unresolved).toEqual([])
    expect(r.resolved.filter((x) => x.field === 'address').map((x) => x.key)).toEqual(['A-DEMO-1', 'A-DEMO-2'])
    expect(r.resolved.filter((x) => x.field === 'equipment').map((x) => x.key)).toContain('INV-DEMO-1')
    expect(r.resolved.filter((x) => x.field === 'equipment')).toHaveLength(2)
    expect(r.resolved.every((x) => /duplicate records/.test(x.how))).toBe(true)
    expect(new Set(r.links.map((l) => l.ruleId))).toEqual(new Set(['address-duplicate', 'contract-overlap', 'equipment-duplicate-serial', 'contract-missing-equipment']))
  })
})
