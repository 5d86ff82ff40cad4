// Seeded randomness for the demo dataset: a fast PRNG, keyed bijections for
// collision-free identifiers, and whole-day date arithmetic. Nothing here reads
// the clock or Math.random, so a seed always yields the same bytes.

/** Deterministic pseudo-random source (sfc32, seeded through splitmix32). */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 16; i++) this.uint32()
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(items.length)]
  }

  /** Picks by weight; `items` are [value, weight] pairs with positive total weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of items) total += w
    let x = this.next() * total
    for (const [value, w] of items) {
      x -= w
      if (x < 0) return value
    }
    return items[items.length - 1][0]
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = items[i]
      items[i] = items[j]
      items[j] = t
    }
    return items
  }

  /** A new independent stream derived from this one. */
  fork(): Rng {
    return new Rng(this.uint32())
  }
}

/** Stateless 32-bit mix of a few integers; used where a value must follow from its coordinates. */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0
    h = (h ^ (h >>> 12)) >>> 0
  }
  return h
}

/**
 * A keyed bijection of [0, size): a balanced Feistel network over the
 * smallest even bit width covering `size`, cycle-walked back into range.
 * Distinct counters therefore give distinct, random-looking identifiers.
 */
export class Permutation {
  private readonly halfBits: number
  private readonly mask: number
  private readonly keys: number[]

  constructor(readonly size: number, key: number) {
    let bits = 2
    while (2 ** bits < size) bits++
    if (bits % 2 === 1) bits++
    this.halfBits = bits / 2
    if (this.halfBits > 26) throw new Error('permutation domain too large')
    this.mask = 2 ** this.halfBits - 1
    this.keys = [0, 1, 2, 3].map((r) => hash32(key, r, size % 4294967296))
  }

  at(index: number): number {
    if (index < 0 || index >= this.size) throw new Error(`permutation index ${index} outside [0, ${this.size})`)
    let x = index
    do x = this.round(x)
    while (x >= this.size)
    return x
  }

  private round(x: number): number {
    const half = 2 ** this.halfBits
    let left = Math.floor(x / half)
    let right = x % half
    for (const k of this.keys) {
      const f = (hash32(right, k) & this.mask) >>> 0
      const next = (left ^ f) >>> 0
      left = right
      right = next & this.mask
    }
    return left * half + right
  }
}

const DAY_MS = 86_400_000

/** Days since 1970-01-01 for a `YYYY-MM-DD` string. */
export function toDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) throw new Error(`not a date: ${iso}`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const day = ms / DAY_MS
  if (isoDay(day) !== iso) throw new Error(`not a date: ${iso}`)
  return day
}

/** `YYYY-MM-DD` for a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
