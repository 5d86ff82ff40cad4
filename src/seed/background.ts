// Clean background households: customers with their services, devices and
// history, written so that no rule of the catalogue finds anything in them.
// Invariants kept here: one active contract per product family at an address;
// every active contract valid at as-of that needs a device has an INSTALLED one
// of that type at its own address; devices of ended, terminated or draft
// contracts are never INSTALLED; start dates sit inside the product's validity
// and products are always offered in the contract's market.
import { modelsOfType, type ServiceGroup } from './catalog.ts'
import { MARKET_WEIGHTS, type CityPlaces } from './places.ts'
import type { Rng } from './random.ts'
import type { Contract, ContractStatus, Customer, SeedWriter } from './world.ts'

const YEAR = 365

type PersonTemplate =
  | 'inet' | 'inet+tv' | 'inet+tv+phone' | 'inet+phone' | 'history' | 'former' | 'draft' | 'phone'
  | 'inet+mob+cctv' | 'suspended' | 'adsl' | 'empty' | 'inet+extra' | 'fixed'
type CompanyTemplate = 'biz-basic' | 'biz-full' | 'biz-mob' | 'biz-former' | 'biz-draft'

const PERSON_TEMPLATES: readonly (readonly [PersonTemplate, number])[] = [
  ['inet', 10], ['inet+tv', 16], ['inet+tv+phone', 13], ['inet+phone', 13], ['history', 9], ['former', 5],
  ['draft', 5], ['phone', 5], ['inet+mob+cctv', 4], ['suspended', 4], ['adsl', 3], ['empty', 3], ['inet+extra', 6], ['fixed', 4],
]
const COMPANY_TEMPLATES: readonly (readonly [CompanyTemplate, number])[] = [
  ['biz-basic', 35], ['biz-full', 25], ['biz-mob', 20], ['biz-former', 10], ['biz-draft', 10],
]

export function pickCity(rng: Rng, cities: CityPlaces[], market?: string): CityPlaces {
  const candidates = market ? cities.filter((c) => c.city.market === market) : cities
  return rng.weighted(candidates.map((c) => [c, weightOf(c)] as const))
}

function weightOf(c: CityPlaces): number {
  return MARKET_WEIGHTS[c.city.market] * c.city.share
}

/** Service helpers shared by the background and the plants: each writes clean contracts and their devices. */
export class Services {
  constructor(private readonly w: SeedWriter) {}

  private get rng(): Rng { return this.w.rng }
  private get asOf(): number { return this.w.asOf }

  /**
   * An active contract valid at as-of (open-ended, or fixed-term ending on or
   * after as-of) with the device it needs INSTALLED.
   */
  active(customer: Customer, address: string, group: ServiceGroup, opts: {
    status?: ContractStatus; lo?: number; hi?: number; to?: number | 'fixed' | null; devices?: number; openEnded?: boolean; market?: string
  } = {}): Contract | null {
    const market = opts.market ?? customer.city.market
    const choice = this.w.chooseProduct(group, market, opts.lo ?? this.asOf - 10 * YEAR, opts.hi ?? this.asOf - 1, opts.openEnded)
    if (!choice) return null
    let to: number | null = null
    if (opts.to === 'fixed') to = Math.max(choice.from, this.asOf + this.rng.int(2 * YEAR))
    else if (typeof opts.to === 'number') to = opts.to
    const contract = this.w.contract({ customer, address, product: choice.product, market, status: opts.status ?? 'ACTIVE', from: choice.from, to })
    this.w.install(contract, opts.devices ?? 1)
    return contract
  }

  /** A TERMINATED contract that ended before as-of; its devices, if any, are DECOMMISSIONED. */
  terminated(customer: Customer, address: string, group: ServiceGroup, opts: { withDevice?: boolean; lo?: number; hi?: number } = {}): Contract | null {
    const choice = this.w.chooseProduct(group, customer.city.market, opts.lo ?? this.asOf - 10 * YEAR, opts.hi ?? this.asOf - 400)
    if (!choice) return null
    const to = Math.min(choice.from + this.rng.between(90, 4 * YEAR), this.asOf - 30)
    const contract = this.w.contract({ customer, address, product: choice.product, status: 'TERMINATED', from: choice.from, to })
    if (opts.withDevice ?? true) this.w.install(contract, 1, 'DECOMMISSIONED')
    return contract
  }

  /** A DRAFT contract starting about now; no device is installed for it (one may be reserved from stock). */
  draft(customer: Customer, address: string, group: ServiceGroup): Contract | null {
    const choice = this.w.chooseProduct(group, customer.city.market, this.asOf - 20, this.asOf + 45)
    if (!choice) return null
    const contract = this.w.contract({ customer, address, product: choice.product, status: 'DRAFT', from: choice.from, to: null })
    const type = choice.product.equipmentType
    if (type !== null && this.rng.chance(0.3)) {
      this.w.device({ model: this.w.model(type), status: 'IN_STOCK', contract: contract.key })
    }
    return contract
  }
}

/** Writes background addresses one by one, each with a customer (sometimes reused) and a household of services. */
export class Background {
  private last: Customer | null = null
  private readonly services: Services

  constructor(private readonly w: SeedWriter) {
    this.services = new Services(w)
  }

  next(): void {
    const { w } = this
    const rng = w.rng
    let customer: Customer
    if (this.last && rng.chance(this.last.kind === 'COMPANY' ? 0.35 : 0.08)) customer = this.last
    else {
      const city = pickCity(rng, w.cities).city
      customer = rng.chance(0.1) ? w.company(city) : w.person(city)
    }
    this.last = customer
    const address = w.address(w.cities[customer.city.id].next())
    if (customer.kind === 'COMPANY') this.company(customer, address, rng.weighted(COMPANY_TEMPLATES))
    else this.person(customer, address, rng.weighted(PERSON_TEMPLATES))
    if (rng.chance(0.03)) this.stock()
  }

  private person(c: Customer, a: string, template: PersonTemplate): void {
    const s = this.services
    const rng = this.w.rng
    const asOf = this.w.asOf
    switch (template) {
      case 'inet': s.active(c, a, 'inet'); break
      case 'inet+tv': s.active(c, a, 'inet'); s.active(c, a, 'tv'); break
      case 'inet+tv+phone': s.active(c, a, 'inet'); s.active(c, a, 'tv'); s.active(c, a, 'phone'); break
      case 'inet+phone': s.active(c, a, 'inet'); s.active(c, a, 'phone'); break
      case 'history': {
        const old = s.terminated(c, a, 'inet', { lo: asOf - 10 * YEAR, hi: asOf - 3 * YEAR })
        const lo = old?.to != null ? Math.min(old.to + rng.between(1, 60), asOf - 10) : asOf - 5 * YEAR
        const fresh = this.w.chooseProduct('inet', c.city.market, lo, asOf - 1)
        if (fresh) {
          const contract = this.w.contract({ customer: c, address: a, product: fresh.product, status: 'ACTIVE', from: fresh.from, to: null })
          this.reinstall(contract, old)
        }
        if (rng.chance(0.5)) s.active(c, a, 'tv')
        break
      }
      case 'former':
        if (rng.chance(0.85)) s.terminated(c, a, 'inet', { withDevice: rng.chance(0.8) })
        else s.terminated(c, a, 'catv', { hi: asOf - 30 })
        break
      case 'draft': s.active(c, a, 'inet'); s.draft(c, a, 'tv'); break
      case 'phone': s.active(c, a, 'phone'); break
      case 'inet+mob+cctv': s.active(c, a, 'inet'); s.active(c, a, 'mob'); s.active(c, a, 'cctv'); break
      case 'suspended': s.active(c, a, 'inet', { status: 'SUSPENDED' }); s.active(c, a, 'tv'); break
      case 'adsl':
        if (!s.active(c, a, 'adsl')) s.active(c, a, 'inet')
        s.active(c, a, 'phone')
        break
      case 'empty': break
      case 'inet+extra': s.active(c, a, 'inet'); s.active(c, a, 'extra'); break
      case 'fixed': s.active(c, a, 'inet', { to: 'fixed' }); s.active(c, a, 'tv', { to: 'fixed' }); break
    }
  }

  private company(c: Customer, a: string, template: CompanyTemplate): void {
    const s = this.services
    const rng = this.w.rng
    switch (template) {
      case 'biz-basic': s.active(c, a, 'biz-inet'); s.active(c, a, 'biz-extra'); break
      case 'biz-full': s.active(c, a, 'biz-inet'); s.active(c, a, 'phone'); s.active(c, a, 'cctv', { devices: rng.between(1, 2) }); break
      case 'biz-mob': s.active(c, a, 'biz-inet', { to: rng.chance(0.5) ? 'fixed' : null }); s.active(c, a, 'mob', { devices: rng.between(1, 3) }); break
      case 'biz-former': s.terminated(c, a, 'biz-inet'); break
      case 'biz-draft': s.active(c, a, 'biz-inet'); s.draft(c, a, 'biz-extra'); break
    }
  }

  /** Installs the new contract's device; sometimes the very router taken back from the old contract, as a new inventory record. */
  private reinstall(contract: Contract, old: Contract | null): void {
    const type = contract.product.equipmentType
    if (type === null) return
    const rng = this.w.rng
    if (old && old.product.equipmentType === type && rng.chance(0.15)) {
      const previous = this.w.lastDecommissioned
      if (previous && previous.contract === old.key && previous.device.model.type === type) {
        this.w.device({
          model: previous.device.model, status: 'INSTALLED', address: contract.address, contract: contract.key,
          installedAt: Math.min(contract.from + rng.int(15), this.w.asOf), serialCore: previous.device.serialCore,
          macLow: previous.device.macLow, serialStyle: rng.int(8), macStyle: rng.int(6),
        })
        this.w.hardNegative('decommissioned-twin')
        return
      }
    }
    this.w.install(contract)
  }

  /** A device in the warehouse, or one written off from it: neither is tied to an address or contract. */
  private stock(): void {
    const rng = this.w.rng
    const type = rng.weighted([['ROUTER', 40], ['ONT', 25], ['STB', 20], ['CAMERA', 5], ['SIM', 10]] as const)
    const model = rng.pick(modelsOfType(type))
    if (rng.chance(0.8)) this.w.device({ model, status: 'IN_STOCK' })
    else this.w.device({ model, status: 'DECOMMISSIONED', removedAt: this.w.asOf - rng.between(30, 3 * YEAR) })
  }
}
