// An independent, deliberately naive reading of the SPEC rule catalogue, used to
// check that a generated seed's ground truth is exactly the set of findings the
// rules produce on it. Rows in, findings out; no database, no engine.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'

export type Row = Record<string, string>

export interface SeedData {
  markets: Row[]
  equipmentTypes: Row[]
  products: Row[]
  customers: Row[]
  addresses: Row[]
  contracts: Row[]
  equipment: Row[]
}

export interface Finding { ruleId: string; entities: { type: string; key: string }[] }

export function readCsv(dir: string, file: string): { header: string[]; rows: Row[] } {
  const records: string[][] = parse(readFileSync(join(dir, file)), { bom: false, relax_quotes: false })
  const [header, ...body] = records
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) }
}

export function loadSeed(dir: string): SeedData {
  return {
    markets: readCsv(dir, 'markets.csv').rows,
    equipmentTypes: readCsv(dir, 'equipment_types.csv').rows,
    products: readCsv(dir, 'products.csv').rows,
    customers: readCsv(dir, 'customers.csv').rows,
    addresses: readCsv(dir, 'addresses.csv').rows,
    contracts: readCsv(dir, 'contracts.csv').rows,
    equipment: readCsv(dir, 'equipment.csv').rows,
  }
}

export function readTruth(dir: string): Finding[] {
  return readFileSync(join(dir, 'ground-truth.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Finding)
}

/** Rule id plus the sorted entity keys: what makes a finding the same finding. */
export function fingerprint(f: Finding): string {
  return `${f.ruleId} ${f.entities.map((e) => `${e.type}:${e.key}`).sort().join(' ')}`
}

/** SPEC: trim, upper-case, drop spaces, '-', '.', '/', '_'. */
export function serialKey(serial: string): string | null {
  const s = serial.trim().toUpperCase().replace(/[\s\-./_]/g, '')
  return s === '' ? null : s
}

/** SPEC: the 12 hex digits, whatever the notation. */
export function macKey(mac: string): string | null {
  const hex = mac.trim().toUpperCase().replace(/[\s:\-.]/g, '')
  return /^[0-9A-F]{12}$/.test(hex) ? hex : null
}

export function phoneKey(phone: string): string | null {
  let d = phone.replace(/\D/g, '')
  if (d.length === 11 && (d[0] === '8' || d[0] === '7')) d = d.slice(1)
  return d.length === 10 ? d : null
}

const LEGAL_FORMS: [RegExp, string][] = [
  [/общество с ограниченной ответственностью/g, 'ооо'],
  [/публичное акционерное общество/g, 'пао'],
  [/закрытое акционерное общество/g, 'зао'],
  [/акционерное общество/g, 'ао'],
]

/** Same person or company however written: case, «ё», word order, quotes, spelled-out legal form. */
export function nameKey(name: string): string | null {
  let s = name.toLowerCase().replaceAll('ё', 'е')
  for (const [long, short] of LEGAL_FORMS) s = s.replace(long, short)
  const words = s.replace(/[«»"'.,()]/g, ' ').split(/\s+/).filter(Boolean)
  return words.length ? words.sort().join(' ') : null
}

/** What an address rule needs to know about one address row. */
export interface AddressFacts { normalized: string | null; hasHouse: boolean; postal: string | null }

const day = (s: string) => s // ISO dates compare as strings

function groups<T>(items: T[], keyOf: (t: T) => string | null): T[][] {
  const map = new Map<string, T[]>()
  for (const it of items) {
    const k = keyOf(it)
    if (k === null) continue
    const list = map.get(k)
    if (list) list.push(it)
    else map.set(k, [it])
  }
  return [...map.values()].filter((g) => g.length >= 2)
}

export function computeFindings(data: SeedData, asOf: string, addressFacts?: (row: Row) => AddressFacts): Finding[] {
  const out: Finding[] = []
  const add = (ruleId: string, type: string, keys: string[]) => out.push({ ruleId, entities: keys.sort().map((key) => ({ type, key })) })
  const products = new Map(data.products.map((p) => [p.sku, p]))
  const contracts = new Map(data.contracts.map((c) => [c.number, c]))
  const typeOf = (eq: Row) => products.get(eq.product)?.equipment_type || null
  const isActive = (c: Row) => c.status === 'ACTIVE' || c.status === 'SUSPENDED'
  const validPeriod = (c: Row) => c.valid_to === '' || c.valid_to >= c.valid_from

  const live = data.equipment.filter((e) => e.status !== 'DECOMMISSIONED')
  for (const g of groups(live, (e) => (e.serial ? serialKey(e.serial) : null))) add('equipment-duplicate-serial', 'equipment', g.map((e) => e.inventory_no))
  for (const g of groups(live, (e) => (e.mac ? macKey(e.mac) : null))) add('equipment-duplicate-mac', 'equipment', g.map((e) => e.inventory_no))

  const active = data.contracts.filter((c) => isActive(c) && validPeriod(c))
  for (const g of groups(active, (c) => `${c.address}|${c.product}`)) {
    for (let i = 0; i < g.length; i++) {
      for (let j = i + 1; j < g.length; j++) {
        const a = g[i], b = g[j]
        const start = a.valid_from > b.valid_from ? a.valid_from : b.valid_from
        const endA = a.valid_to || '9999-12-31', endB = b.valid_to || '9999-12-31'
        if (start <= (endA < endB ? endA : endB)) add('contract-overlap', 'contract', [a.number, b.number])
      }
    }
  }

  for (const c of data.contracts) {
    if (c.valid_to !== '' && c.valid_to < c.valid_from) add('contract-invalid-period', 'contract', [c.number])
    const product = products.get(c.product)!
    if (!product.markets.split(';').includes(c.market)) add('contract-product-not-in-market', 'contract', [c.number])
    if (product.valid_to !== '' && c.valid_from > product.valid_to) add('contract-product-discontinued', 'contract', [c.number])
  }

  const installedByContract = new Map<string, Row[]>()
  for (const e of data.equipment) {
    if (e.status !== 'INSTALLED') continue
    if (e.contract === '') { add('equipment-without-contract', 'equipment', [e.inventory_no]); continue }
    const c = contracts.get(e.contract)!
    const list = installedByContract.get(c.number)
    if (list) list.push(e)
    else installedByContract.set(c.number, [e])
    if (c.status === 'TERMINATED' || c.status === 'DRAFT' || (c.valid_to !== '' && c.valid_to < day(asOf))) add('equipment-on-inactive-contract', 'equipment', [e.inventory_no])
    if (e.address !== c.address) add('equipment-address-mismatch', 'equipment', [e.inventory_no])
    const needed = products.get(c.product)!.equipment_type
    if (needed !== '' && typeOf(e) !== needed) add('equipment-type-mismatch', 'equipment', [e.inventory_no])
  }

  for (const c of data.contracts) {
    if (!isActive(c)) continue
    if (!(c.valid_from <= asOf && (c.valid_to === '' || asOf <= c.valid_to))) continue
    const needed = products.get(c.product)!.equipment_type
    if (needed === '') continue
    if (!(installedByContract.get(c.number) ?? []).some((e) => typeOf(e) === needed)) add('contract-missing-equipment', 'contract', [c.number])
  }

  // Customers: one group per connected set of equal INNs or equal (name, phone).
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  for (const c of data.customers) parent.set(c.code, c.code)
  const union = (g: Row[]) => { for (const c of g.slice(1)) parent.set(find(c.code), find(g[0].code)) }
  for (const g of groups(data.customers, (c) => c.inn || null)) union(g)
  for (const g of groups(data.customers, (c) => {
    const n = nameKey(c.name), p = c.phone ? phoneKey(c.phone) : null
    return n && p ? `${n}|${p}` : null
  })) union(g)
  for (const g of groups(data.customers, (c) => find(c.code))) add('customer-duplicate', 'customer', g.map((c) => c.code))

  if (addressFacts) {
    const facts = new Map(data.addresses.map((a) => [a.code, addressFacts(a)]))
    for (const g of groups(data.addresses, (a) => { const f = facts.get(a.code)!; return f.hasHouse ? f.normalized : null })) {
      add('address-duplicate', 'address', g.map((a) => a.code))
    }
    for (const a of data.addresses) {
      const f = facts.get(a.code)!
      if (!f.hasHouse || (f.postal !== null && !/^\d{6}$/.test(f.postal))) add('address-incomplete', 'address', [a.code])
    }
  }
  return out
}
