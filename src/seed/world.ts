// The record writers behind the seed: every customer, address, contract and
// device goes through here, gets its business key and unique identifiers
// (INN, phone, serial, MAC) from keyed permutations, and is written at once.
import { join } from 'node:path'
import { RECORDS, type EntityType as ModelEntityType } from '../records/model.ts'
import { LineSink, RecordSink } from './csv.ts'
import { PRODUCTS, modelsOfType, type DeviceModel, type Product, type ServiceGroup } from './catalog.ts'
import {
  companyEmail, companyInn, companyName, fullName, personEmail, personInn, phoneNotation, PHONE_STYLES,
  randomCompany, randomPerson, type CompanyName, type NamePools, type PersonName,
} from './people.ts'
import { randomStyle, renderAddress, type AddressStyle, type City, type CityPlaces, type Place, type RenderOptions } from './places.ts'
import { Permutation, isoDay, pad, type Rng } from './random.ts'

/** The records the seed plants findings on. */
export type EntityType = Extract<ModelEntityType, 'customer' | 'address' | 'contract' | 'equipment'>
export interface EntityRef { type: EntityType; key: string }

export type ContractStatus = 'DRAFT' | 'ACTIVE' | 'SUSPENDED' | 'TERMINATED'
export type DeviceStatus = 'IN_STOCK' | 'INSTALLED' | 'DECOMMISSIONED'

export interface Customer {
  key: string
  kind: 'PERSON' | 'COMPANY'
  city: City
  person?: PersonName
  company?: CompanyName
  /** 10-digit national number, or null when the customer left none. */
  phone: string | null
  inn: string | null
}

export interface ContractSpec {
  customer: Customer
  address: string
  product: Product
  market?: string
  status: ContractStatus
  from: number
  to: number | null
}

export interface Contract extends ContractSpec { key: string; market: string }

export interface DeviceSpec {
  model: DeviceModel
  status: DeviceStatus
  address?: string | null
  contract?: string | null
  installedAt?: number | null
  removedAt?: number | null
  /** Reuse another device's serial core (a duplicate or a decommissioned twin). */
  serialCore?: number
  /** Reuse another device's MAC (lower 24 bits after the model's OUI), or null for none. */
  macLow?: number | null
  /** Give the device a MAC even where the background would leave it out. */
  withMac?: boolean
  serialStyle?: number
  macStyle?: number
}

export interface Device { key: string; model: DeviceModel; serialCore: number; macLow: number | null }

export interface CustomerOptions {
  name?: string
  person?: PersonName
  company?: CompanyName
  inn?: string | null
  phone?: string | null
  phoneStyle?: number
  email?: boolean
}

/** Writes one seed dataset: owns the output files, the key counters and the identifier permutations. */
export class SeedWriter {
  /** one import file per record type */
  readonly sinks: Record<ModelEntityType, RecordSink>
  readonly truthSink: LineSink
  readonly planted: Record<string, number> = {}
  /** records the planted findings name (each in one finding only) */
  collidingRecords = 0
  readonly hardNegatives: Record<string, number> = {}
  private readonly width: number
  private readonly serials: Permutation
  private readonly macs: Permutation
  private readonly iccids: Permutation
  private readonly phones: Permutation
  private readonly personInns: Permutation
  private readonly companyInns: Permutation
  /** The device most recently written as DECOMMISSIONED by `install`, for reinstalling it as a twin. */
  lastDecommissioned: { contract: string; device: Device } | null = null
  private n = { address: 0, customer: 0, contract: 0, device: 0, phone: 0, personInn: 0, companyInn: 0 }

  constructor(
    readonly out: string,
    readonly rng: Rng,
    readonly pools: NamePools,
    readonly cities: CityPlaces[],
    readonly asOf: number,
    scale: number,
    seed: number,
  ) {
    this.width = Math.max(7, String(scale * 5 + 100_000).length)
    this.serials = new Permutation(2 ** 32, seed ^ 0x5e71a1)
    this.macs = new Permutation(2 ** 24, seed ^ 0x3ac)
    this.iccids = new Permutation(1e11, seed ^ 0x1cc1d)
    this.phones = new Permutation(1e7, seed ^ 0x9401e)
    this.personInns = new Permutation(1e8, seed ^ 0x1441)
    this.companyInns = new Permutation(1e7, seed ^ 0xc0)
    this.sinks = Object.fromEntries(RECORDS.map((spec) => [spec.entity, new RecordSink(out, spec)])) as Record<ModelEntityType, RecordSink>
    this.truthSink = new LineSink(join(out, 'ground-truth.jsonl'))
  }

  get addressCount(): number { return this.n.address }

  // --- identifiers ---------------------------------------------------------

  newPhone(city: City, mobile: boolean): string {
    const code = this.rng.pick(mobile ? city.mobileCodes : city.landlineCodes)
    return code + pad(this.phones.at(this.n.phone++), 7)
  }

  newPersonInn(city: City): string {
    return personInn(city.innRegion, this.personInns.at(this.n.personInn++))
  }

  newCompanyInn(city: City): string {
    return companyInn(city.innRegion, this.companyInns.at(this.n.companyInn++))
  }

  // --- records -------------------------------------------------------------

  person(city: City, opts: CustomerOptions = {}): Customer {
    const rng = this.rng
    const person = opts.person ?? randomPerson(rng, this.pools)
    const inn = opts.inn !== undefined ? opts.inn : rng.chance(0.7) ? this.newPersonInn(city) : null
    const phone = opts.phone !== undefined ? opts.phone : rng.chance(0.95) ? this.newPhone(city, rng.chance(0.9)) : null
    let name = opts.name ?? fullName(person)
    if (opts.name === undefined && rng.chance(0.25)) name = name.replaceAll('ё', 'е')
    const email = (opts.email ?? rng.chance(0.6)) ? personEmail(rng, person) : null
    return this.writeCustomer({ key: this.key('C', ++this.n.customer), kind: 'PERSON', city, person, phone, inn }, name, opts.phoneStyle, email)
  }

  company(city: City, opts: CustomerOptions = {}): Customer {
    const rng = this.rng
    const company = opts.company ?? randomCompany(rng, this.pools)
    const inn = opts.inn !== undefined ? opts.inn : this.newCompanyInn(city)
    const phone = opts.phone !== undefined ? opts.phone : rng.chance(0.97) ? this.newPhone(city, rng.chance(0.3)) : null
    const email = (opts.email ?? rng.chance(0.8)) ? companyEmail(rng, company) : null
    return this.writeCustomer({ key: this.key('C', ++this.n.customer), kind: 'COMPANY', city, company, phone, inn }, opts.name ?? companyName(company), opts.phoneStyle, email)
  }

  private writeCustomer(c: Customer, name: string, phoneStyle: number | undefined, email: string | null): Customer {
    const phone = c.phone === null ? null : phoneNotation(c.phone, phoneStyle ?? this.rng.int(PHONE_STYLES))
    this.sinks.customer.record({ code: c.key, name, kind: c.kind, inn: c.inn, phone, email })
    return c
  }

  address(place: Place, style?: AddressStyle, opts?: RenderOptions): string {
    const rec = renderAddress(place, style ?? randomStyle(this.rng, place.street), opts)
    const key = this.key('A', ++this.n.address)
    this.sinks.address.record({
      code: key, text: rec.text, region: rec.region, city: rec.city, street: rec.street, house: rec.house,
      building: rec.building, apartment: rec.apartment, postal_code: rec.postal,
    })
    return key
  }

  contract(spec: ContractSpec): Contract {
    const key = this.key('D', ++this.n.contract)
    const market = spec.market ?? spec.customer.city.market
    this.sinks.contract.record({
      number: key, customer: spec.customer.key, address: spec.address, product: spec.product.sku, market, status: spec.status,
      valid_from: isoDay(spec.from), valid_to: spec.to === null ? null : isoDay(spec.to),
    })
    return { ...spec, key, market }
  }

  device(spec: DeviceSpec): Device {
    const d = this.n.device++
    const key = this.key('INV', d + 1)
    const serialCore = spec.serialCore ?? (spec.model.type === 'SIM' ? this.iccids.at(d) : this.serials.at(d))
    const macLow = spec.model.oui === null ? null
      : spec.macLow !== undefined ? spec.macLow
        : spec.withMac || this.rng.chance(0.93) ? this.macs.at(d) : null
    const serial = serialNotation(spec.model.serial(serialCore), spec.serialStyle ?? this.backgroundSerialStyle())
    const mac = macLow === null || spec.model.oui === null ? null : macNotation(spec.model.oui + macLow.toString(16).toUpperCase().padStart(6, '0'), spec.macStyle ?? this.rng.int(MAC_STYLES))
    const day = (x: number | null | undefined) => (x === null || x === undefined ? null : isoDay(x))
    this.sinks.equipment.record({
      inventory_no: key, serial, mac, product: spec.model.sku, address: spec.address ?? null, contract: spec.contract ?? null,
      status: spec.status, installed_at: day(spec.installedAt), removed_at: day(spec.removedAt),
    })
    return { key, model: spec.model, serialCore, macLow }
  }

  private backgroundSerialStyle(): number {
    const x = this.rng.next()
    return x < 0.8 ? 0 : x < 0.9 ? 1 : 2
  }

  // --- ground truth --------------------------------------------------------

  truth(ruleId: string, entities: EntityRef[]): void {
    const sorted = [...entities].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    this.truthSink.line(JSON.stringify({ ruleId, entities: sorted }))
    this.planted[ruleId] = (this.planted[ruleId] ?? 0) + 1
    // a plant writes records of its own, so no record is named by two planted findings (test/seed/generate.test.ts):
    // a count, not a set of a million keys
    this.collidingRecords += sorted.length
  }

  hardNegative(kind: string): void {
    this.hardNegatives[kind] = (this.hardNegatives[kind] ?? 0) + 1
  }

  // --- catalogue helpers ---------------------------------------------------

  /**
   * A product of the group offered in the market and a start date inside both
   * [lo, hi] and the product's own validity, or null when none fits.
   * `openEnded` keeps to products without an end date, for contracts whose
   * later dates must not fall after it.
   */
  chooseProduct(group: ServiceGroup, market: string, lo: number, hi: number, openEnded = false): { product: Product; from: number } | null {
    const options: [{ product: Product; lo: number; hi: number }, number][] = []
    for (const p of PRODUCTS) {
      if (p.group !== group || !p.markets.includes(market) || (openEnded && p.validTo !== null)) continue
      const plo = Math.max(lo, dayOf(p.validFrom))
      const phi = Math.min(hi, p.validTo === null ? Infinity : dayOf(p.validTo))
      if (plo <= phi) options.push([{ product: p, lo: plo, hi: phi }, p.weight ?? 1])
    }
    if (options.length === 0) return null
    const o = this.rng.weighted(options)
    return { product: o.product, from: this.rng.between(o.lo, o.hi) }
  }

  model(type: string): DeviceModel {
    return this.rng.pick(modelsOfType(type))
  }

  /** Installs `count` devices of the type the contract's product needs, at the contract's address. */
  install(contract: Contract, count = 1, status: DeviceStatus = 'INSTALLED'): Device[] {
    const type = contract.product.equipmentType
    if (type === null) return []
    const devices: Device[] = []
    for (let i = 0; i < count; i++) {
      const installedAt = Math.min(contract.from + this.rng.int(15), Math.max(contract.from, this.asOf))
      const device = this.device({
        model: this.model(type), status, address: contract.address, contract: contract.key,
        installedAt, removedAt: status === 'DECOMMISSIONED' ? Math.max(installedAt, contract.to ?? this.asOf) : null,
      })
      if (status === 'DECOMMISSIONED') this.lastDecommissioned = { contract: contract.key, device }
      devices.push(device)
    }
    return devices
  }

  get needsDrain(): boolean {
    for (const sink of Object.values(this.sinks)) if (sink.needsDrain) return true
    return this.truthSink.needsDrain
  }

  async drain(): Promise<void> {
    for (const sink of Object.values(this.sinks)) if (sink.needsDrain) await sink.drain()
    if (this.truthSink.needsDrain) await this.truthSink.drain()
  }

  async close(): Promise<void> {
    await Promise.all([...Object.values(this.sinks).map((s) => s.close()), this.truthSink.close()])
  }

  private key(prefix: string, n: number): string {
    return `${prefix}-${pad(n, this.width)}`
  }
}

const dayCache = new Map<string, number>()
export function dayOf(iso: string): number {
  let d = dayCache.get(iso)
  if (d === undefined) {
    const [y, m, dd] = iso.split('-').map(Number)
    d = Date.UTC(y, m - 1, dd) / 86_400_000
    dayCache.set(iso, d)
  }
  return d
}

export const SERIAL_STYLES = 8

/** The same serial in another notation; all of them normalise equal (trim, upper case, no spaces - . / _). */
export function serialNotation(canonical: string, style: number): string {
  const packed = canonical.replace(/[\s\-./_]/g, '')
  const groups = (sep: string) => packed.match(/.{1,4}/g)!.join(sep)
  switch (style % SERIAL_STYLES) {
    case 0: return canonical
    case 1: return canonical.toLowerCase()
    case 2: return packed
    case 3: return groups(' ')
    case 4: return groups('/')
    case 5: return canonical.replaceAll('-', '_').toLowerCase().replace(/^(.)/, (c) => c.toUpperCase())
    case 6: return ` ${canonical} `
    default: return groups('.').toLowerCase()
  }
}

export const MAC_STYLES = 6

/** A MAC (12 upper-case hex digits) in one of the notations found in real inventories. */
export function macNotation(hex12: string, style: number): string {
  const pairs = hex12.match(/.{2}/g)!
  const quads = hex12.match(/.{4}/g)!
  switch (style % MAC_STYLES) {
    case 0: return pairs.join(':')
    case 1: return pairs.join('-')
    case 2: return quads.join('.').toLowerCase()
    case 3: return hex12
    case 4: return pairs.join(':').toLowerCase()
    default: return hex12.toLowerCase()
  }
}
