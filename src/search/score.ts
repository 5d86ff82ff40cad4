// How well a candidate the database found matches what was typed, 0..1. A small scorer over the
// structured fields (street, house, flat; name words; identifier lengths) rather than fuse.js: the
// database has already chosen the few dozen candidates by trigrams, and what decides between them is
// structure (the right house and flat, a one-letter typo, a surname alone) that fuse.js's character
// distance over one string does not see — and it needs no per-query index.
import { placeWords, type AddressQuery } from './interpret.ts'

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits), stopping past `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev2: number[] = []
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1)
      cur.push(d)
      if (d < rowMin) rowMin = d
    }
    if (rowMin > max) return max + 1
    prev2 = prev
    prev = cur
  }
  return prev[b.length]
}

/** A word typed for a stored word: equal 1, one typo 0.9 (two in a long word 0.8), a beginning 0.75. */
function wordMatch(typed: string, stored: string): number {
  if (typed === stored) return 1
  const d = editDistance(typed, stored, 2)
  if (d === 1 && typed.length >= 4) return 0.9
  if (d === 2 && typed.length >= 8) return 0.8
  if (typed.length >= 3 && stored.startsWith(typed)) return 0.75
  return 0
}

/**
 * Typed words against stored words in any order: the mean of each typed word's best match, weighed by
 * how much of the stored name was typed (a surname alone matches less than the whole name).
 */
export function wordsScore(typed: string[], stored: string[]): number {
  if (typed.length === 0 || stored.length === 0) return 0
  let sum = 0
  const used = new Set<number>()
  for (const t of typed) {
    let best = 0
    let bestAt = -1
    stored.forEach((s, k) => {
      if (used.has(k)) return
      const m = wordMatch(t, s)
      if (m > best) { best = m; bestAt = k }
    })
    if (bestAt >= 0) used.add(bestAt)
    sum += best
  }
  const mean = sum / typed.length
  const coverage = used.size / stored.length
  return mean * (0.75 + 0.25 * coverage)
}

/** A street name typed for a stored one: the words, or the whole name's trigram similarity when that is better. */
export function streetScore(typed: string, stored: string, trigramSimilarity: number): number {
  if (typed === stored) return 1
  const byWords = wordsScore(typed.split(' '), stored.split(' '))
  const joined = wordMatch(typed.replace(/ /g, ''), stored.replace(/ /g, ''))
  return Math.max(byWords, joined, 0.8 * trigramSimilarity)
}

/** One part of an address typed or not, stored or not. */
function partFactor(typed: string, stored: string, { storedOnly, typedOnly, differ }: { storedOnly: number; typedOnly: number; differ: number }): number {
  if (typed === stored) return 1
  if (typed === '') return storedOnly
  if (stored === '') return typedOnly
  return differ
}

/** What the search reads of a stored address besides its normalized key. */
export interface StoredAddress {
  normalized: string
  region: string | null
  postalCode: string | null
}

/** A word of a place said for a stored one: equal, or one slip in a word of five letters or more («Казнь»). */
function placeWordMatches(typed: string, stored: string): boolean {
  return typed === stored || (typed.length >= 5 && editDistance(typed, stored, 1) <= 1)
}

/**
 * The place said (city, settlement, region — any of them, in any order — and a postal code) against the
 * stored address's: a boost where it agrees, a penalty where it names another place, never part of the
 * street. A place guessed from the ends of the text that names another place voids the reading (0).
 */
export function placeFactor(q: AddressQuery, cityKey: string, stored: StoredAddress): number {
  let factor = 1
  if (q.place.length > 0) {
    const words = [...cityKey.split(' ').filter(Boolean), ...placeWords(stored.region)]
    if (words.length === 0) factor = q.placeGuessed ? 0.7 : 0.9
    else if (!q.place.every((w) => words.some((s) => placeWordMatches(w, s)))) {
      if (q.placeGuessed) return 0
      factor = 0.6
    }
  }
  if (q.postalCode !== '' && stored.postalCode !== q.postalCode) factor *= stored.postalCode ? 0.8 : 0.95
  return factor
}

/**
 * A stored address against one reading of the typed one, given the street's trigram similarity.
 * The street decides most; a house typed without a flat prefers the house's own record to its flats.
 */
export function addressScore(q: AddressQuery, stored: StoredAddress, trigramSimilarity: number): number {
  const [city = '', type = '', street = '', house = '', building = '', structure = '', flat = ''] = stored.normalized.split('|')
  let score = streetScore(q.street, street, trigramSimilarity) * q.weight
  if (q.house === '') score *= 0.7 // a street alone: every address on it is as likely
  else if (q.house !== house) return 0
  score *= partFactor(q.flat, flat, { storedOnly: 0.85, typedOnly: 0.9, differ: 0 })
  score *= partFactor(q.building, building, { storedOnly: 0.9, typedOnly: 0.85, differ: 0.5 })
  score *= partFactor(q.structure, structure, { storedOnly: 0.9, typedOnly: 0.85, differ: 0.5 })
  score *= placeFactor(q, city, stored)
  score *= partFactor(q.streetType, type, { storedOnly: 1, typedOnly: 0.95, differ: 0.85 })
  return score
}

const LEGAL_FORMS = new Set(['ооо', 'ао', 'пао', 'зао', 'оао', 'ип', 'нао'])

/** A customer's folded name (nameNorm) against the typed one (normalizeName): words in any order, legal forms aside. */
export function nameScore(typed: string, stored: string, trigramSimilarity: number): number {
  if (typed === stored) return 1
  const significant = (s: string) => s.split(' ').filter((w) => !LEGAL_FORMS.has(w))
  const t = significant(typed)
  const s = significant(stored)
  if (t.length > 0 && t.join(' ') === s.join(' ')) return 0.97
  return Math.max(wordsScore(t, s), 0.7 * trigramSimilarity)
}

/** A fragment of an identifier (serial, MAC, phone digits) found in a stored one: longer parts score higher. */
export function fragmentScore(fragment: string, stored: string): number {
  if (fragment === stored) return 1
  const at = stored.indexOf(fragment)
  if (at < 0) return 0
  const edge = at === 0 || at + fragment.length === stored.length ? 0.05 : 0
  return Math.min(0.95, 0.5 + 0.4 * (fragment.length / stored.length) + edge)
}
