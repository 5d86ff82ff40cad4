import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSeed, plantsPerRule, type SeedSummary } from '../../src/seed/generate.ts'
import { normalizeAddress } from '../../src/addresses/parse.ts'
import {
  computeFindings, fingerprint, loadSeed, macKey, readCsv, readTruth, serialKey,
  type AddressFacts, type Finding, type Row, type SeedData,
} from './oracle.ts'

const SCALE = 2000
const SEED = 20260131
const AS_OF = '2026-01-31'

// Written out from the SPEC rather than imported, so a drift in the generator shows here.
const SPEC_HEADERS: Record<string, string[]> = {
  'markets.csv': ['code', 'name'],
  'equipment_types.csv': ['code', 'name'],
  'products.csv': ['sku', 'name', 'kind', 'equipment_type', 'markets', 'status', 'valid_from', 'valid_to'],
  'customers.csv': ['code', 'name', 'kind', 'inn', 'phone', 'email'],
  'addresses.csv': ['code', 'text', 'region', 'city', 'street', 'house', 'building', 'apartment', 'postal_code'],
  'contracts.csv': ['number', 'customer', 'address', 'product', 'market', 'status', 'valid_from', 'valid_to'],
  'equipment.csv': ['inventory_no', 'serial', 'mac', 'product', 'address', 'contract', 'status', 'installed_at', 'removed_at'],
}

const RULE_ENTITY: Record<string, { type: string; min: number; max: number }> = {
  'equipment-duplicate-serial': { type: 'equipment', min: 2, max: 3 },
  'equipment-duplicate-mac': { type: 'equipment', min: 2, max: 3 },
  'contract-overlap': { type: 'contract', min: 2, max: 2 },
  'contract-invalid-period': { type: 'contract', min: 1, max: 1 },
  'equipment-on-inactive-contract': { type: 'equipment', min: 1, max: 1 },
  'equipment-address-mismatch': { type: 'equipment', min: 1, max: 1 },
  'equipment-without-contract': { type: 'equipment', min: 1, max: 1 },
  'equipment-type-mismatch': { type: 'equipment', min: 1, max: 1 },
  'contract-missing-equipment': { type: 'contract', min: 1, max: 1 },
  'contract-product-not-in-market': { type: 'contract', min: 1, max: 1 },
  'contract-product-discontinued': { type: 'contract', min: 1, max: 1 },
  'address-duplicate': { type: 'address', min: 2, max: 3 },
  'customer-duplicate': { type: 'customer', min: 2, max: 3 },
  'address-incomplete': { type: 'address', min: 1, max: 1 },
}
const ADDRESS_RULES = new Set(['address-duplicate', 'address-incomplete'])

const KEY_COLUMN: Record<string, string> = {
  'markets.csv': 'code', 'equipment_types.csv': 'code', 'products.csv': 'sku', 'customers.csv': 'code',
  'addresses.csv': 'code', 'contracts.csv': 'number', 'equipment.csv': 'inventory_no',
}

function addressFacts(a: Row): AddressFacts {
  const cell = (v: string) => (v === '' ? null : v)
  const n = normalizeAddress({
    text: a.text, region: cell(a.region), city: cell(a.city), street: cell(a.street), house: cell(a.house),
    building: cell(a.building), apartment: cell(a.apartment), postalCode: cell(a.postal_code),
  })
  return { normalized: n.normalized, hasHouse: n.parts.house !== null, postal: n.parts.postalCode }
}

function innIsValid(inn: string): boolean {
  const d = Array.from(inn, Number)
  const check = (weights: number[]) => (weights.reduce((s, w, i) => s + w * d[i], 0) % 11) % 10
  if (d.length === 10) return check([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9]
  if (d.length === 12) return check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11]
  return false
}

const fingerprints = (fs: Finding[]) => new Set(fs.map(fingerprint))

describe('generateSeed', () => {
  let root: string
  let dir: string
  let summary: SeedSummary
  let data: SeedData
  let truth: Finding[]
  const progress: [number, number][] = []

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sverka-seed-'))
    dir = join(root, 'a')
    summary = await generateSeed({ scale: SCALE, seed: SEED, out: dir, onProgress: (d, t) => progress.push([d, t]) })
    data = loadSeed(dir)
    truth = readTruth(dir)
  })

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('writes the SPEC import files with their headers, plus ground truth and meta', async () => {
    expect((await readdir(dir)).sort()).toEqual([...Object.keys(SPEC_HEADERS), 'ground-truth.jsonl', 'seed-meta.json'].sort())
    for (const [file, header] of Object.entries(SPEC_HEADERS)) {
      const { header: actual, rows } = readCsv(dir, file)
      expect(actual, file).toEqual(header)
      expect(rows.length, file).toBe(summary.files[file])
      for (const r of rows) expect(Object.keys(r).length).toBe(header.length)
    }
    const meta = JSON.parse(await readFile(join(dir, 'seed-meta.json'), 'utf8'))
    expect(meta).toMatchObject({ scale: SCALE, seed: SEED, asOf: AS_OF, planted: summary.planted })
    expect(meta.counts['addresses.csv']).toBe(summary.files['addresses.csv'])
    expect(summary.asOf).toBe(AS_OF)
    expect(progress.at(-1)).toEqual([SCALE, SCALE])
  })

  it('has the shape of a contact centre’s master data', () => {
    const n = data.addresses.length
    expect(n).toBeGreaterThanOrEqual(SCALE)
    expect(n).toBeLessThan(SCALE * 1.05)
    expect(data.customers.length / n).toBeGreaterThan(0.8)
    expect(data.customers.length / n).toBeLessThan(1)
    expect(data.contracts.length / n).toBeGreaterThan(1.7)
    expect(data.contracts.length / n).toBeLessThan(2.3)
    expect(data.equipment.length / n).toBeGreaterThan(1.3)
    expect(data.equipment.length / n).toBeLessThan(1.8)
    expect(data.markets.map((m) => m.code)).toEqual(['MSK', 'SPB', 'KZN', 'NSK', 'EKB'])
    expect(data.products.length).toBeGreaterThanOrEqual(35)
    expect(new Set(data.contracts.map((c) => c.status))).toEqual(new Set(['ACTIVE', 'SUSPENDED', 'TERMINATED', 'DRAFT']))
    expect(new Set(data.equipment.map((e) => e.status))).toEqual(new Set(['INSTALLED', 'IN_STOCK', 'DECOMMISSIONED']))
    const persons = data.customers.filter((c) => c.kind === 'PERSON')
    expect(persons.filter((c) => /^[А-ЯЁ][а-яё-]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+(вич|вна|чна|ична|ич)$/.test(c.name)).length / persons.length).toBeGreaterThan(0.95)
    expect(data.customers.filter((c) => c.kind === 'COMPANY').some((c) => /^ООО «.+»$/.test(c.name))).toBe(true)
    // Notations are mixed, as in real inventories.
    expect(data.customers.some((c) => c.phone.startsWith('+7 '))).toBe(true)
    expect(data.customers.some((c) => /^8\(\d{3}\)\d{7}$/.test(c.phone))).toBe(true)
    expect(data.customers.some((c) => /^7\d{10}$/.test(c.phone))).toBe(true)
    expect(data.equipment.some((e) => /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(e.mac))).toBe(true)
    expect(data.equipment.some((e) => /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(e.mac))).toBe(true)
    expect(data.equipment.some((e) => /^([0-9A-F]{2}-){5}[0-9A-F]{2}$/.test(e.mac))).toBe(true)
    expect(data.addresses.some((a) => a.street === '' && a.text !== '')).toBe(true)
    expect(data.addresses.some((a) => a.street !== '')).toBe(true)
    expect(data.addresses.some((a) => /\d+к\d+-\d+/.test(a.text))).toBe(true)
  })

  it('plants every rule of the catalogue at least five times, with the entities the SPEC names', () => {
    for (const [ruleId, shape] of Object.entries(RULE_ENTITY)) {
      const planted = truth.filter((f) => f.ruleId === ruleId)
      expect(planted.length, ruleId).toBeGreaterThanOrEqual(5)
      expect(summary.planted[ruleId], ruleId).toBe(planted.length)
      for (const f of planted) {
        expect(f.entities.length, ruleId).toBeGreaterThanOrEqual(shape.min)
        expect(f.entities.length, ruleId).toBeLessThanOrEqual(shape.max)
        expect(f.entities.every((e) => e.type === shape.type), ruleId).toBe(true)
        const keys = f.entities.map((e) => e.key)
        expect(keys, `${ruleId} entities sorted`).toEqual([...keys].sort())
      }
    }
    expect(new Set(truth.map((f) => f.ruleId))).toEqual(new Set(Object.keys(RULE_ENTITY)))
    expect(fingerprints(truth).size).toBe(truth.length)
  })

  it('is deterministic: same scale and seed give the same bytes, another seed other bytes', async () => {
    const again = join(root, 'b')
    const other = join(root, 'c')
    await generateSeed({ scale: SCALE, seed: SEED, out: again })
    await generateSeed({ scale: SCALE, seed: SEED + 1, out: other })
    for (const file of await readdir(dir)) {
      expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file))), file).toBe(true)
    }
    for (const file of ['customers.csv', 'addresses.csv', 'contracts.csv', 'equipment.csv', 'ground-truth.jsonl']) {
      expect(readFileSync(join(other, file)).equals(readFileSync(join(dir, file))), file).toBe(false)
    }
  })

  it('keeps business keys unique and well-formed', () => {
    for (const [file, column] of Object.entries(KEY_COLUMN)) {
      const { rows } = readCsv(dir, file)
      const keys = rows.map((r) => r[column])
      expect(new Set(keys).size, file).toBe(keys.length)
      expect(keys.every((k) => k !== ''), file).toBe(true)
    }
    expect(data.addresses.every((a) => /^A-\d{7}$/.test(a.code))).toBe(true)
    expect(data.customers.every((c) => /^C-\d{7}$/.test(c.code))).toBe(true)
    expect(data.contracts.every((c) => /^D-\d{7}$/.test(c.number))).toBe(true)
    expect(data.equipment.every((e) => /^INV-\d{7}$/.test(e.inventory_no))).toBe(true)
    const date = /^\d{4}-\d{2}-\d{2}$/
    for (const c of data.contracts) {
      expect(c.valid_from).toMatch(date)
      if (c.valid_to) expect(c.valid_to).toMatch(date)
    }
    for (const e of data.equipment) for (const d of [e.installed_at, e.removed_at]) if (d) expect(d).toMatch(date)
  })

  it('writes valid, unique INNs except where a duplicate customer is planted', () => {
    const plantedInns = new Set<string>()
    const byCode = new Map(data.customers.map((c) => [c.code, c]))
    for (const f of truth.filter((t) => t.ruleId === 'customer-duplicate')) {
      for (const e of f.entities) if (byCode.get(e.key)!.inn) plantedInns.add(byCode.get(e.key)!.inn)
    }
    const seen = new Set<string>()
    for (const c of data.customers) {
      if (!c.inn) continue
      expect(innIsValid(c.inn), c.inn).toBe(true)
      expect(c.inn.length).toBe(c.kind === 'PERSON' ? 12 : 10)
      if (seen.has(c.inn)) expect(plantedInns.has(c.inn), c.inn).toBe(true)
      seen.add(c.inn)
    }
  })

  it('resolves every reference to an existing row', () => {
    const has = (rows: Row[], col: string) => new Set(rows.map((r) => r[col]))
    const markets = has(data.markets, 'code')
    const types = has(data.equipmentTypes, 'code')
    const products = has(data.products, 'sku')
    const customers = has(data.customers, 'code')
    const addresses = has(data.addresses, 'code')
    const contracts = has(data.contracts, 'number')
    for (const p of data.products) {
      for (const m of p.markets.split(';')) expect(markets.has(m), `${p.sku} market ${m}`).toBe(true)
      if (p.equipment_type) expect(types.has(p.equipment_type), p.sku).toBe(true)
      if (p.kind === 'EQUIPMENT') expect(p.equipment_type).not.toBe('')
    }
    for (const c of data.contracts) {
      expect(customers.has(c.customer), c.number).toBe(true)
      expect(addresses.has(c.address), c.number).toBe(true)
      expect(products.has(c.product), c.number).toBe(true)
      expect(markets.has(c.market), c.number).toBe(true)
    }
    const equipmentProducts = new Set(data.products.filter((p) => p.kind === 'EQUIPMENT').map((p) => p.sku))
    for (const e of data.equipment) {
      expect(equipmentProducts.has(e.product), e.inventory_no).toBe(true)
      if (e.address) expect(addresses.has(e.address), e.inventory_no).toBe(true)
      if (e.contract) expect(contracts.has(e.contract), e.inventory_no).toBe(true)
    }
    const entityFile: Record<string, Set<string>> = { customer: customers, address: addresses, contract: contracts, equipment: has(data.equipment, 'inventory_no') }
    for (const f of truth) for (const e of f.entities) expect(entityFile[e.type].has(e.key), `${f.ruleId} ${e.key}`).toBe(true)
  })

  it('duplicate serials and MACs normalise equal inside planted groups and nowhere else', () => {
    const byKey = new Map(data.equipment.map((e) => [e.inventory_no, e]))
    for (const [ruleId, keyOf, column] of [
      ['equipment-duplicate-serial', serialKey, 'serial'],
      ['equipment-duplicate-mac', macKey, 'mac'],
    ] as const) {
      const planted = truth.filter((f) => f.ruleId === ruleId)
      for (const f of planted) {
        const values = f.entities.map((e) => byKey.get(e.key)![column])
        expect(new Set(values.map(keyOf)).size, values.join(' | ')).toBe(1)
        expect(keyOf(values[0])).not.toBeNull()
        expect(new Set(values).size, `written in different notations: ${values.join(' | ')}`).toBe(values.length)
      }
      const groups = new Map<string, string[]>()
      for (const e of data.equipment) {
        if (e.status === 'DECOMMISSIONED' || !e[column]) continue
        const k = keyOf(e[column])
        if (k) groups.set(k, [...(groups.get(k) ?? []), e.inventory_no])
      }
      const found = [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort().join(' ')).sort()
      expect(found).toEqual(planted.map((f) => f.entities.map((e) => e.key).join(' ')).sort())
    }
    // Decommissioned twins exist beside live devices and do not count.
    const liveSerials = new Set(data.equipment.filter((e) => e.status !== 'DECOMMISSIONED').map((e) => serialKey(e.serial)))
    expect(data.equipment.some((e) => e.status === 'DECOMMISSIONED' && liveSerials.has(serialKey(e.serial)))).toBe(true)
  })

  it('ground truth is exactly the set of findings the SPEC rules give (non-address rules)', () => {
    const found = computeFindings(data, AS_OF).filter((f) => !ADDRESS_RULES.has(f.ruleId))
    const expected = truth.filter((f) => !ADDRESS_RULES.has(f.ruleId))
    const missing = [...fingerprints(expected)].filter((f) => !fingerprints(found).has(f))
    const extra = [...fingerprints(found)].filter((f) => !fingerprints(expected).has(f))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
  })

  it('contains the hard negatives beside the plants', () => {
    const truthKeys = new Set(truth.flatMap((f) => f.entities.map((e) => e.key)))
    // Namesakes: one full name, other phone and INN.
    const byName = new Map<string, Row[]>()
    for (const c of data.customers) if (!truthKeys.has(c.code)) byName.set(c.name, [...(byName.get(c.name) ?? []), c])
    expect([...byName.values()].some((g) => g.length > 1 && new Set(g.map((c) => c.phone)).size === g.length)).toBe(true)
    // Different people sharing one phone (in other notations).
    const byPhone = new Map<string, Row[]>()
    for (const c of data.customers) {
      const digits = c.phone.replace(/\D/g, '').slice(-10)
      if (digits && !truthKeys.has(c.code)) byPhone.set(digits, [...(byPhone.get(digits) ?? []), c])
    }
    expect([...byPhone.values()].some((g) => g.length > 1 && new Set(g.map((c) => c.name)).size === g.length)).toBe(true)
    // Touching periods: same address and product, one ends the day before the next starts.
    const dayAfter = (d: string) => new Date(Date.parse(d) + 86_400_000).toISOString().slice(0, 10)
    const byAddressProduct = new Map<string, Row[]>()
    for (const c of data.contracts) byAddressProduct.set(`${c.address}|${c.product}`, [...(byAddressProduct.get(`${c.address}|${c.product}`) ?? []), c])
    expect([...byAddressProduct.values()].some((g) => g.some((a) => a.valid_to && g.some((b) => b.valid_from === dayAfter(a.valid_to) && b.status === 'ACTIVE' && a.status === 'ACTIVE')))).toBe(true)
    // A contract ending exactly on as-of, still valid and served.
    expect(data.contracts.some((c) => c.valid_to === AS_OF && c.status === 'ACTIVE' && !truthKeys.has(c.number))).toBe(true)
  })

  describe('addresses, as src/addresses/parse.ts reads them', () => {
    it('each planted duplicate group normalises to one key; no two other addresses share one', () => {
      const facts = new Map(data.addresses.map((a) => [a.code, addressFacts(a)]))
      const text = (code: string) => data.addresses.find((a) => a.code === code)!.text
      for (const f of truth.filter((t) => t.ruleId === 'address-duplicate')) {
        const keys = f.entities.map((e) => facts.get(e.key)!.normalized)
        expect(new Set(keys).size, f.entities.map((e) => text(e.key)).join(' | ')).toBe(1)
      }
      const planted = new Set(truth.filter((t) => t.ruleId === 'address-duplicate').flatMap((f) => f.entities.map((e) => e.key)))
      const owner = new Map<string, string>()
      const collisions: string[] = []
      for (const [code, f] of facts) {
        if (planted.has(code) || !f.hasHouse || f.normalized === null) continue
        const other = owner.get(f.normalized)
        if (other) collisions.push(`${text(other)} == ${text(code)}`)
        else owner.set(f.normalized, code)
      }
      expect(collisions).toEqual([])
    })

    it('ground truth is exactly the set of findings the SPEC rules give, addresses included', () => {
      const found = fingerprints(computeFindings(data, AS_OF, addressFacts))
      const expected = fingerprints(truth)
      const missing = [...expected].filter((f) => !found.has(f))
      const extra = [...found].filter((f) => !expected.has(f))
      expect({ missing, extra }).toEqual({ missing: [], extra: [] })
    })

    it('has same-name streets of other types and other flats of one house as near misses', () => {
      const parts = data.addresses.map((a) => {
        const cell = (v: string) => (v === '' ? null : v)
        return normalizeAddress({ text: a.text, city: cell(a.city), street: cell(a.street), house: cell(a.house), apartment: cell(a.apartment), building: cell(a.building) }).parts
      })
      const sameHouseOtherType = new Map<string, Set<string>>()
      const flatsOfHouse = new Map<string, Set<string>>()
      for (const p of parts) {
        if (!p.house || !p.streetName) continue
        const place = `${p.city}|${p.streetName.toLowerCase().replaceAll('ё', 'е')}|${p.house}|${p.apartment}`
        sameHouseOtherType.set(place, (sameHouseOtherType.get(place) ?? new Set()).add(p.streetType ?? ''))
        const house = `${p.city}|${p.streetType}|${p.streetName.toLowerCase().replaceAll('ё', 'е')}|${p.house}`
        flatsOfHouse.set(house, (flatsOfHouse.get(house) ?? new Set()).add(p.apartment ?? ''))
      }
      expect([...sameHouseOtherType.values()].some((types) => types.size > 1)).toBe(true)
      expect([...flatsOfHouse.values()].some((flats) => flats.size > 1)).toBe(true)
    })
  })

  it('with --collisions: that share of records in collisions, each named by one finding, and still exactly what the rules give', async () => {
    const out = join(root, 'dense')
    const dense = await generateSeed({ scale: SCALE, seed: SEED, out, collisions: 0.05 })
    const denseTruth = readTruth(out)
    const denseData = loadSeed(out)
    for (const n of Object.values(dense.planted)) expect(n).toBe(plantsPerRule(SCALE, 0.05))
    // counted independently of the generator: the records ground truth names, over the rows of the files
    const named = denseTruth.flatMap((f) => f.entities.map((e) => `${e.type} ${e.key}`))
    expect(new Set(named).size).toBe(named.length)
    const rows = Object.entries(dense.files).filter(([file]) => file.endsWith('.csv')).reduce((n, [, r]) => n + r, 0)
    expect(dense.collisionRate).toBeCloseTo(named.length / rows, 10)
    expect(dense.collisionRate).toBeGreaterThanOrEqual(0.05)
    expect(dense.collisionRate).toBeLessThan(0.07)
    expect(JSON.parse(readFileSync(join(out, 'seed-meta.json'), 'utf8'))).toMatchObject({ collisions: 0.05, collisionRate: dense.collisionRate })
    // the default density stays as it was
    expect(summary.collisionRate).toBeLessThan(0.01)
    const found = fingerprints(computeFindings(denseData, AS_OF, addressFacts))
    const expected = fingerprints(denseTruth)
    expect({ missing: [...expected].filter((f) => !found.has(f)), extra: [...found].filter((f) => !expected.has(f)) }).toEqual({ missing: [], extra: [] })
  })

  it('rejects bad options with an input error', async () => {
    await expect(generateSeed({ scale: 0, seed: 1, out: join(root, 'x') })).rejects.toThrow(/scale/)
    await expect(generateSeed({ scale: 10, seed: 1, out: join(root, 'x'), asOf: '2026-02-30' })).rejects.toThrow(/as-of/)
    await expect(generateSeed({ scale: 10, seed: 1, out: join(root, 'x'), asOf: '2019-06-01' })).rejects.toThrow(/as-of/)
    await expect(generateSeed({ scale: 1.5, seed: 1, out: join(root, 'x') })).rejects.toThrow(/scale/)
    await expect(generateSeed({ scale: 10, seed: 1, out: join(root, 'x'), collisions: 0 })).rejects.toThrow(/collisions/)
    await expect(generateSeed({ scale: 10, seed: 1, out: join(root, 'x'), collisions: 0.3 })).rejects.toThrow(/collisions/)
  })
})
