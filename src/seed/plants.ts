// Planted collisions and hard negatives. Each plant lives on its own fresh
// customers, addresses, contracts and devices, so it produces exactly the
// findings it records in the ground truth and nothing else; hard negatives look
// like collisions but must produce no finding at all.
import { MARKETS, PRODUCTS, type Product, type ServiceGroup } from './catalog.ts'
import { Services, pickCity } from './background.ts'
import { LEGAL_FORM_LONG, PHONE_STYLES, fullName, randomCompany, randomPerson, randomYoPerson, type PersonName } from './people.ts'
import { duplicateStyles, foldName, randomStyle, type CityPlaces, type Place } from './places.ts'
import type { Contract, Customer, Device, EntityRef, EntityType, SeedWriter } from './world.ts'
import { MAC_STYLES, SERIAL_STYLES, dayOf, macNotation, serialNotation } from './world.ts'

export const RULE_IDS = [
  'equipment-duplicate-serial',
  'equipment-duplicate-mac',
  'contract-overlap',
  'contract-invalid-period',
  'equipment-on-inactive-contract',
  'equipment-address-mismatch',
  'equipment-without-contract',
  'equipment-type-mismatch',
  'contract-missing-equipment',
  'contract-product-not-in-market',
  'contract-product-discontinued',
  'address-duplicate',
  'customer-duplicate',
  'address-incomplete',
] as const
export type RuleId = (typeof RULE_IDS)[number]

export const HARD_NEGATIVES = [
  'namesakes',
  'shared-phone',
  'company-namesakes',
  'touching-periods',
  'decommissioned-twin',
  'sister-streets',
  'other-flat',
  'ends-on-as-of',
  'starts-at-product-end',
] as const
export type HardNegative = (typeof HARD_NEGATIVES)[number]

const YEAR = 365
const DEVICE_GROUPS: readonly ServiceGroup[] = ['inet', 'tv', 'cctv', 'mob']
const MAC_GROUPS: readonly ServiceGroup[] = ['inet', 'tv', 'cctv']

const ref = (type: EntityType, key: string): EntityRef => ({ type, key })
const refs = (type: EntityType, items: readonly { key: string }[]) => items.map((i) => ref(type, i.key))

/** Writes one plant or hard negative at a time through the shared writer. */
export class Planter {
  private readonly s: Services

  constructor(private readonly w: SeedWriter) {
    this.s = new Services(w)
  }

  private get rng() { return this.w.rng }
  private get asOf() { return this.w.asOf }

  plant(rule: RuleId, j: number): void {
    switch (rule) {
      case 'equipment-duplicate-serial': return this.duplicateDevices(j, 'serial')
      case 'equipment-duplicate-mac': return this.duplicateDevices(j, 'mac')
      case 'contract-overlap': return this.overlap(j)
      case 'contract-invalid-period': return this.invalidPeriod(j)
      case 'equipment-on-inactive-contract': return this.onInactive(j)
      case 'equipment-address-mismatch': return this.addressMismatch(j)
      case 'equipment-without-contract': return this.withoutContract(j)
      case 'equipment-type-mismatch': return this.typeMismatch(j)
      case 'contract-missing-equipment': return this.missingEquipment(j)
      case 'contract-product-not-in-market': return this.notInMarket(j)
      case 'contract-product-discontinued': return this.discontinued(j)
      case 'address-duplicate': return this.addressDuplicate(j)
      case 'customer-duplicate': return this.customerDuplicate(j)
      case 'address-incomplete': return this.addressIncomplete(j)
    }
  }

  hardNegative(kind: HardNegative, j: number): void {
    this.w.hardNegative(kind)
    switch (kind) {
      case 'namesakes': return this.namesakes(j)
      case 'shared-phone': return this.sharedPhone(j)
      case 'company-namesakes': return this.companyNamesakes()
      case 'touching-periods': return this.touchingPeriods()
      case 'decommissioned-twin': return this.decommissionedTwin(j)
      case 'sister-streets': return this.sisterStreets(j)
      case 'other-flat': return this.otherFlat(j)
      case 'ends-on-as-of': return this.endsOnAsOf(j)
      case 'starts-at-product-end': return this.startsAtProductEnd(j)
    }
  }

  // --- building blocks -------------------------------------------------------

  private city(market?: string): CityPlaces {
    return pickCity(this.rng, this.w.cities, market)
  }

  /** A new person at a new address in the city. */
  private fresh(cp: CityPlaces): { customer: Customer; address: string } {
    return { customer: this.w.person(cp.city), address: this.w.address(cp.next()) }
  }

  /** An ACTIVE open-ended contract valid at as-of, on a product without an end date, with no device yet. */
  private bareContract(customer: Customer, address: string, group: ServiceGroup, status: Contract['status'] = 'ACTIVE'): Contract {
    const c = this.s.active(customer, address, group, { devices: 0, openEnded: true, status, hi: this.asOf - 30 })
    if (!c) throw new Error(`no open-ended ${group} product in ${customer.city.market}`)
    return c
  }

  private installedAt(contract: Contract): number {
    return Math.min(contract.from + this.rng.int(15), Math.max(contract.from, this.asOf))
  }

  /** `count` notations of one value that all differ as text, starting with style 0. */
  private distinctStyles(render: (style: number) => string, styles: number, count: number): number[] {
    const order = this.rng.shuffle([...Array(styles).keys()].filter((s) => s !== 0))
    const chosen: number[] = [0]
    const seen = new Set<string>([render(0)])
    for (const s of order) {
      if (chosen.length === count) break
      const text = render(s)
      if (seen.has(text)) continue
      seen.add(text)
      chosen.push(s)
    }
    return chosen
  }

  private distinctPhoneStyles(count: number): number[] {
    const order = this.rng.shuffle([...Array(PHONE_STYLES).keys()])
    return order.slice(0, count)
  }

  // --- the fourteen rules ----------------------------------------------------

  /** 2–3 devices sharing one serial (or MAC) in different notations: one installed, the others installed elsewhere or in stock. */
  private duplicateDevices(j: number, what: 'serial' | 'mac'): void {
    const w = this.w
    const size = j % 3 === 2 ? 3 : 2
    const cp = this.city()
    const group = (what === 'serial' ? DEVICE_GROUPS : MAC_GROUPS)[j % (what === 'serial' ? DEVICE_GROUPS.length : MAC_GROUPS.length)]
    const { customer, address } = this.fresh(cp)
    const contract = this.bareContract(customer, address, group)
    const model = w.model(contract.product.equipmentType!)
    const first = w.device({ model, status: 'INSTALLED', address, contract: contract.key, installedAt: this.installedAt(contract), withMac: what === 'mac', serialStyle: 0, macStyle: 0 })
    const styles = what === 'serial'
      ? this.distinctStyles((s) => serialNotation(model.serial(first.serialCore), s), SERIAL_STYLES, size)
      : this.distinctStyles((s) => macNotation(model.oui! + first.macLow!.toString(16).toUpperCase().padStart(6, '0'), s), MAC_STYLES, size)
    const shared = what === 'serial' ? { serialCore: first.serialCore } : { macLow: first.macLow }
    const members: Device[] = [first]
    for (let i = 1; i < size; i++) {
      const style = styles[i] ?? i
      const notation = what === 'serial' ? { serialStyle: style } : { macStyle: style }
      if (i === 1 && j % 2 === 0) {
        const other = this.fresh(cp)
        const from = this.rng.between(Math.max(dayOf(contract.product.validFrom), this.asOf - 3 * YEAR), this.asOf - 30)
        const c2 = w.contract({ customer: other.customer, address: other.address, product: contract.product, status: 'ACTIVE', from, to: null })
        members.push(w.device({ model, status: 'INSTALLED', address: other.address, contract: c2.key, installedAt: this.installedAt(c2), ...shared, ...notation }))
      } else {
        members.push(w.device({ model, status: 'IN_STOCK', ...shared, ...notation }))
      }
    }
    if (j % 4 === 1) {
      // A written-off twin beside the group: it must not join the finding.
      w.device({ model, status: 'DECOMMISSIONED', removedAt: this.asOf - this.rng.between(100, 900), ...shared })
    }
    w.truth(what === 'serial' ? 'equipment-duplicate-serial' : 'equipment-duplicate-mac', refs('equipment', members))
  }

  private overlap(j: number): void {
    const w = this.w
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const market = cp.city.market
    const asOf = this.asOf
    const variant = j % 4
    const group: ServiceGroup = variant === 1 ? 'tv' : variant === 2 ? 'phone' : 'inet'
    const choice = w.chooseProduct(group, market, asOf - 5 * YEAR, asOf - 400, true)!
    const product = choice.product
    let c1: Contract
    let c2: Contract
    if (variant === 0 || variant === 2) {
      // Re-registered by mistake: two open-ended contracts for one service.
      c1 = w.contract({ customer, address, product, status: 'ACTIVE', from: choice.from, to: null })
      c2 = w.contract({ customer, address, product, status: 'ACTIVE', from: this.rng.between(asOf - 300, asOf - 1), to: null })
    } else if (variant === 1) {
      c1 = w.contract({ customer, address, product, status: 'ACTIVE', from: choice.from, to: asOf + this.rng.between(30, 400) })
      c2 = w.contract({ customer, address, product, status: 'SUSPENDED', from: this.rng.between(choice.from + 1, asOf - 1), to: null })
    } else {
      // The new contract starts on the very day the old one ends: closed intervals share that day.
      const end = this.rng.between(asOf - 200, asOf - 2)
      c1 = w.contract({ customer, address, product, status: 'ACTIVE', from: choice.from, to: end })
      w.install(c1, 1, 'DECOMMISSIONED')
      c2 = w.contract({ customer, address, product, status: 'ACTIVE', from: end, to: null })
    }
    if (variant !== 3) w.install(c1)
    w.install(c2)
    w.truth('contract-overlap', [ref('contract', c1.key), ref('contract', c2.key)])
  }

  private invalidPeriod(j: number): void {
    const w = this.w
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const status = (['ACTIVE', 'DRAFT', 'SUSPENDED', 'TERMINATED'] as const)[j % 4]
    const group = (['inet', 'tv', 'phone', 'mob'] as const)[(j >> 2) % 4]
    const choice = w.chooseProduct(group, cp.city.market, this.asOf - 900, this.asOf + 20, true)!
    // A typed year or a day slipped: the period ends before it starts.
    const to = j % 2 === 0 ? choice.from - YEAR : choice.from - 1
    const contract = w.contract({ customer, address, product: choice.product, status, from: choice.from, to })
    if (group !== 'phone' && j % 3 === 0) this.s.active(customer, address, 'phone')
    w.truth('contract-invalid-period', [ref('contract', contract.key)])
  }

  private onInactive(j: number): void {
    const w = this.w
    const asOf = this.asOf
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const group = DEVICE_GROUPS[(j >> 2) % DEVICE_GROUPS.length]
    const market = cp.city.market
    let contract: Contract
    switch (j % 4) {
      case 0: {
        const c = w.chooseProduct(group, market, asOf - 6 * YEAR, asOf - 400, true)!
        contract = w.contract({ customer, address, product: c.product, status: 'TERMINATED', from: c.from, to: this.rng.between(c.from + 90, asOf - 30) })
        break
      }
      case 1: {
        const c = w.chooseProduct(group, market, asOf - 10, asOf + 30, true)!
        contract = w.contract({ customer, address, product: c.product, status: 'DRAFT', from: c.from, to: null })
        break
      }
      default: {
        const c = w.chooseProduct(group, market, asOf - 4 * YEAR, asOf - 200, true)!
        // Ended yesterday at the latest: `valid_to` < as-of.
        const to = j % 8 === 2 ? asOf - 1 : this.rng.between(asOf - 120, asOf - 1)
        contract = w.contract({ customer, address, product: c.product, status: j % 4 === 2 ? 'ACTIVE' : 'SUSPENDED', from: c.from, to })
      }
    }
    const [device] = w.install(contract)
    w.truth('equipment-on-inactive-contract', [ref('equipment', device.key)])
  }

  private addressMismatch(j: number): void {
    const w = this.w
    const cp = this.city()
    let own: Place
    let wrong: Place
    if (j % 2 === 0) {
      // The technician typed the neighbour's flat.
      const { street, house } = cp.reserveHouse()
      own = cp.place(street, house, 0)
      wrong = cp.place(street, house, 1)
    } else {
      own = cp.next()
      wrong = cp.next()
    }
    const customer = w.person(cp.city)
    const address = w.address(own)
    const wrongAddress = w.address(wrong)
    const contract = this.bareContract(customer, address, DEVICE_GROUPS[(j >> 1) % DEVICE_GROUPS.length])
    const device = w.device({ model: w.model(contract.product.equipmentType!), status: 'INSTALLED', address: wrongAddress, contract: contract.key, installedAt: this.installedAt(contract) })
    w.truth('equipment-address-mismatch', [ref('equipment', device.key)])
  }

  private withoutContract(j: number): void {
    const w = this.w
    const cp = this.city()
    const type = this.rng.pick(['ROUTER', 'ONT', 'STB', 'CAMERA'])
    const installedAt = this.asOf - this.rng.between(10, 2 * YEAR)
    let device: Device
    if (j % 3 === 0) {
      const address = w.address(cp.next())
      device = w.device({ model: w.model(type), status: 'INSTALLED', address, contract: null, installedAt })
    } else if (j % 3 === 1) {
      device = w.device({ model: w.model(type), status: 'INSTALLED', address: null, contract: null, installedAt })
    } else {
      // A second device at a well-served address, never tied to any contract.
      const { customer, address } = this.fresh(cp)
      this.s.active(customer, address, 'inet')
      device = w.device({ model: w.model(type), status: 'INSTALLED', address, contract: null, installedAt })
    }
    w.truth('equipment-without-contract', [ref('equipment', device.key)])
  }

  private typeMismatch(j: number): void {
    const w = this.w
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const contract = this.bareContract(customer, address, j % 2 === 0 ? 'inet' : 'tv')
    w.install(contract)
    const needed = contract.product.equipmentType!
    const wrongType = this.rng.pick(['ROUTER', 'ONT', 'STB', 'CAMERA'].filter((t) => t !== needed))
    const device = w.device({ model: w.model(wrongType), status: 'INSTALLED', address, contract: contract.key, installedAt: this.installedAt(contract) })
    w.truth('equipment-type-mismatch', [ref('equipment', device.key)])
  }

  private missingEquipment(j: number): void {
    const w = this.w
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const group = DEVICE_GROUPS[(j >> 2) % DEVICE_GROUPS.length]
    let contract: Contract
    switch (j % 4) {
      case 0:
        contract = this.bareContract(customer, address, group)
        break
      case 1:
        // Its device was written off and never replaced.
        contract = this.bareContract(customer, address, group)
        w.install(contract, 1, 'DECOMMISSIONED')
        break
      case 2:
        // Reserved from stock but never installed.
        contract = this.bareContract(customer, address, group, 'SUSPENDED')
        w.device({ model: w.model(contract.product.equipmentType!), status: 'IN_STOCK', contract: contract.key })
        break
      default: {
        // Ends exactly on as-of, so it is still valid that day.
        const c = this.s.active(customer, address, group, { devices: 0, openEnded: true, to: this.asOf, hi: this.asOf - 30 })!
        contract = c
      }
    }
    w.truth('contract-missing-equipment', [ref('contract', contract.key)])
  }

  private notInMarket(j: number): void {
    const w = this.w
    const asOf = this.asOf
    const restricted = PRODUCTS.filter((p) => p.kind === 'SERVICE' && p.markets.length < MARKETS.length && dayOf(p.validFrom) < asOf - 60)
    const product = restricted[j % restricted.length]
    const outside = MARKETS.filter((m) => !product.markets.includes(m.code))
    const cp = this.city(this.rng.pick(outside).code)
    const { customer, address } = this.fresh(cp)
    const terminated = j % 3 === 2
    const hi = Math.min(product.validTo ? dayOf(product.validTo) : Infinity, terminated ? asOf - 400 : asOf - 1)
    const lo = Math.max(dayOf(product.validFrom), Math.min(asOf - 4 * YEAR, hi - 30))
    const from = this.rng.between(lo, Math.max(lo, hi))
    let contract: Contract
    if (terminated) {
      contract = w.contract({ customer, address, product, status: 'TERMINATED', from, to: Math.min(from + this.rng.between(90, 700), asOf - 30) })
      w.install(contract, 1, 'DECOMMISSIONED')
    } else {
      contract = w.contract({ customer, address, product, status: 'ACTIVE', from, to: null })
      w.install(contract)
    }
    w.truth('contract-product-not-in-market', [ref('contract', contract.key)])
  }

  private endedProducts(): Product[] {
    return PRODUCTS.filter((p) => p.kind === 'SERVICE' && p.validTo !== null && dayOf(p.validTo) < this.asOf - 2)
  }

  private discontinued(j: number): void {
    const w = this.w
    const asOf = this.asOf
    const ended = this.endedProducts()
    if (ended.length === 0) return
    const product = ended[j % ended.length]
    const end = dayOf(product.validTo!)
    const cp = this.city(this.rng.pick(product.markets))
    const { customer, address } = this.fresh(cp)
    let contract: Contract
    if (j % 4 === 3) {
      contract = w.contract({ customer, address, product, status: 'DRAFT', from: this.rng.between(asOf - 10, asOf + 30), to: null })
    } else {
      // Sold after the tariff was withdrawn; one day after is enough.
      const from = j % 5 === 0 ? end + 1 : this.rng.between(end + 1, asOf - 1)
      contract = w.contract({ customer, address, product, status: 'ACTIVE', from, to: null })
      w.install(contract)
    }
    w.truth('contract-product-discontinued', [ref('contract', contract.key)])
  }

  private addressDuplicate(j: number): void {
    const w = this.w
    const axes = ['typeAfter', 'typeForm', 'houseForm', 'flatForm', 'prefix', 'case', 'yo'] as const
    const axis = axes[j % axes.length]
    const cp = this.city()
    const place = axis === 'yo' ? cp.nextYoPlace() : cp.next()
    const styles = duplicateStyles(this.rng, place, j % 3 === 2 ? 3 : 2, axis)
    const keys = styles.map((style) => w.address(place, style))
    const customer = w.person(cp.city)
    this.s.active(customer, keys[0], 'inet')
    // The second record is in use too, by another service, so nothing overlaps on either record.
    if (j % 2 === 0) this.s.active(customer, keys[1], 'tv')
    if (keys.length >= 2) w.truth('address-duplicate', keys.map((k) => ref('address', k)))
  }

  private customerDuplicate(j: number): void {
    const w = this.w
    const cp = this.city()
    const city = cp.city
    const members: Customer[] = []
    const withHome = (c: Customer) => {
      members.push(c)
      const address = w.address(cp.next())
      this.s.active(c, address, this.rng.pick(['inet', 'tv', 'phone'] as const))
    }
    const reordered = (p: PersonName) => `${p.first} ${p.middle} ${p.last}`
    switch (j % 6) {
      case 0: {
        // Same INN; the second card typed in capitals or just again.
        const person = randomPerson(this.rng, w.pools)
        const inn = w.newPersonInn(city)
        withHome(w.person(city, { person, name: fullName(person), inn }))
        withHome(w.person(city, { person, name: j % 12 < 6 ? fullName(person).toUpperCase() : fullName(person), inn, phone: j % 2 === 0 ? w.newPhone(city, true) : null }))
        break
      }
      case 1: {
        const person = randomPerson(this.rng, w.pools)
        const phone = w.newPhone(city, true)
        const [s0, s1] = this.distinctPhoneStyles(2)
        withHome(w.person(city, { person, name: fullName(person), inn: w.newPersonInn(city), phone, phoneStyle: s0 }))
        withHome(w.person(city, { person, name: reordered(person), inn: null, phone, phoneStyle: s1 }))
        break
      }
      case 2: {
        const person = randomYoPerson(this.rng, w.pools)
        const phone = w.newPhone(city, true)
        const [s0, s1] = this.distinctPhoneStyles(2)
        withHome(w.person(city, { person, name: fullName(person), inn: w.newPersonInn(city), phone, phoneStyle: s0 }))
        withHome(w.person(city, { person, name: fullName(person).replaceAll('ё', 'е'), inn: null, phone, phoneStyle: s1 }))
        break
      }
      case 3: {
        const company = { ...randomCompany(this.rng, w.pools), form: 'ООО' as const }
        const phone = w.newPhone(city, false)
        const [s0, s1] = this.distinctPhoneStyles(2)
        withHome(w.company(city, { company, name: `ООО «${company.brand}»`, phone, phoneStyle: s0 }))
        withHome(w.company(city, { company, name: `${LEGAL_FORM_LONG['ООО']} "${company.brand}"`, inn: null, phone, phoneStyle: s1 }))
        break
      }
      case 4: {
        const company = randomCompany(this.rng, w.pools)
        const inn = w.newCompanyInn(city)
        withHome(w.company(city, { company, name: `${company.form} «${company.brand}»`, inn }))
        withHome(w.company(city, { company, name: j % 12 < 6 ? `${LEGAL_FORM_LONG[company.form]} «${company.brand}»` : `${company.form} "${company.brand}"`, inn }))
        break
      }
      default: {
        const person = randomPerson(this.rng, w.pools)
        const phone = w.newPhone(city, true)
        const styles = this.distinctPhoneStyles(3)
        withHome(w.person(city, { person, name: fullName(person), inn: w.newPersonInn(city), phone, phoneStyle: styles[0] }))
        withHome(w.person(city, { person, name: fullName(person).toLowerCase(), inn: null, phone, phoneStyle: styles[1] }))
        withHome(w.person(city, { person, name: reordered(person), inn: null, phone, phoneStyle: styles[2] }))
      }
    }
    w.truth('customer-duplicate', refs('customer', members))
  }

  private addressIncomplete(j: number): void {
    const w = this.w
    let variant = j % 4
    let cp = this.city()
    let key: string | null = null
    if (variant === 0) {
      // No house at all; each such address is on a street no other houseless address uses.
      const street = cp.nextHouselessStreet() ?? this.anyHouselessStreet()
      if (street) {
        const owner = w.cities.find((c) => c.streets[street.index] === street) ?? cp
        cp = owner
        key = w.address(cp.place(street, 0, null), undefined, { noHouse: true })
      } else variant = 1
    }
    if (key === null) {
      const place = cp.next()
      const postal = variant === 1 ? place.postal.slice(1)
        : variant === 2 ? place.postal.slice(0, 1) + 'O' + place.postal.slice(2)
          : place.postal + String(this.rng.int(10))
      const style = { ...randomStyle(this.rng, place.street), postal: true, components: true }
      key = w.address(place, style, { postal })
    }
    if (variant !== 0 || j % 8 === 0) this.s.active(w.person(cp.city), key, 'inet')
    w.truth('address-incomplete', [ref('address', key)])
  }

  private anyHouselessStreet() {
    for (const c of this.w.cities) {
      const s = c.nextHouselessStreet()
      if (s) return s
    }
    return null
  }

  // --- hard negatives --------------------------------------------------------

  /** Same full name, other phone and INN: two people, not one. */
  private namesakes(j: number): void {
    const w = this.w
    const person = randomPerson(this.rng, w.pools)
    for (let i = 0; i < 2; i++) {
      const cp = j % 2 === 0 ? this.city() : this.city(MARKETS[i % MARKETS.length].code)
      const customer = w.person(cp.city, { person, name: fullName(person), phone: w.newPhone(cp.city, true) })
      this.s.active(customer, w.address(cp.next()), 'inet')
    }
  }

  /** A family at one flat sharing the home phone under different names. */
  private sharedPhone(j: number): void {
    const w = this.w
    const cp = this.city()
    const address = w.address(cp.next())
    const phone = w.newPhone(cp.city, j % 2 === 0)
    const size = j % 3 === 2 ? 3 : 2
    const styles = this.distinctPhoneStyles(size)
    // Different people: other first-name initials, so not even a lenient matcher could merge them.
    const initials = new Set<string>()
    const groups: ServiceGroup[] = ['inet', 'tv', 'phone']
    for (let i = 0; i < size; i++) {
      let person = randomPerson(this.rng, w.pools)
      while (initials.has(foldName(person.first)[0])) person = randomPerson(this.rng, w.pools)
      initials.add(foldName(person.first)[0])
      const customer = w.person(cp.city, { person, name: fullName(person), phone, phoneStyle: styles[i] })
      this.s.active(customer, address, groups[i])
    }
  }

  private companyNamesakes(): void {
    const w = this.w
    const company = randomCompany(this.rng, w.pools)
    for (let i = 0; i < 2; i++) {
      const cp = this.city()
      const customer = w.company(cp.city, { company, phone: w.newPhone(cp.city, false) })
      this.s.active(customer, w.address(cp.next()), 'biz-inet')
    }
  }

  /** One contract ends the day before the next one for the same service starts. */
  private touchingPeriods(): void {
    const w = this.w
    const asOf = this.asOf
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const choice = w.chooseProduct('inet', cp.city.market, asOf - 6 * YEAR, asOf - 500, true)!
    const end = this.rng.between(asOf - 400, asOf - 2)
    const old = w.contract({ customer, address, product: choice.product, status: 'ACTIVE', from: choice.from, to: end })
    w.install(old, 1, 'DECOMMISSIONED')
    const next = w.contract({ customer, address, product: choice.product, status: 'ACTIVE', from: end + 1, to: null })
    w.install(next)
  }

  /** A decommissioned record carrying the serial and MAC of an installed device. */
  private decommissionedTwin(j: number): void {
    const w = this.w
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    const contract = this.bareContract(customer, address, MAC_GROUPS[j % MAC_GROUPS.length])
    const model = w.model(contract.product.equipmentType!)
    const live = w.device({ model, status: 'INSTALLED', address, contract: contract.key, installedAt: this.installedAt(contract), withMac: true, serialStyle: 0, macStyle: 0 })
    const twins = j % 3 === 2 ? 2 : 1
    for (let i = 0; i < twins; i++) {
      w.device({
        model, status: 'DECOMMISSIONED', address: i === 0 ? address : null, removedAt: contract.from - this.rng.between(1, 300),
        serialCore: live.serialCore, macLow: live.macLow, serialStyle: 1 + i, macStyle: 1 + i,
      })
    }
  }

  /** «ул. Ленина, 5-12» and «пр-т Ленина, 5-12» in one city: two places. */
  private sisterStreets(j: number): void {
    const w = this.w
    const cp = this.city()
    const [a, b] = cp.sisters[j % cp.sisters.length]
    const { house } = cp.reserveHouse(cp.streets[a])
    const first = cp.place(cp.streets[a], house, 0)
    const second: Place = { ...first, street: cp.streets[b] }
    for (const place of [first, second]) {
      const customer = w.person(cp.city)
      this.s.active(customer, w.address(place), 'inet')
    }
  }

  /** Neighbours: other flats of one house. */
  private otherFlat(j: number): void {
    const w = this.w
    const cp = this.city()
    const { street, house } = cp.reserveHouse()
    for (let flat = 0; flat < 2 + (j % 2); flat++) {
      const customer = w.person(cp.city)
      this.s.active(customer, w.address(cp.place(street, house, flat)), 'inet')
    }
  }

  /** A contract ending exactly on as-of is still valid that day, with its device installed. */
  private endsOnAsOf(j: number): void {
    const cp = this.city()
    const { customer, address } = this.fresh(cp)
    this.s.active(customer, address, DEVICE_GROUPS[j % DEVICE_GROUPS.length], { to: this.asOf, openEnded: true })
  }

  /** Sold on the last day of the tariff: not after its end. */
  private startsAtProductEnd(j: number): void {
    const w = this.w
    const ended = this.endedProducts()
    if (ended.length === 0) return
    const product = ended[j % ended.length]
    const cp = this.city(this.rng.pick(product.markets))
    const { customer, address } = this.fresh(cp)
    const contract = w.contract({ customer, address, product, status: 'ACTIVE', from: dayOf(product.validTo!), to: null })
    w.install(contract)
  }
}
