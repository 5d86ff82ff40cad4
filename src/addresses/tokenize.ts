// Splits an address into atoms (words, numbers, '-' and '/') with the punctuation facts the parser needs.
// One pass over the characters; no regular expression runs per character.

import { MARKERS, NOISE, ORDINAL_SUFFIXES, type Marker } from './vocabulary.ts'

export type AtomKind = 'num' | 'word' | 'dash' | 'slash'

export interface Atom {
  kind: AtomKind
  /** As written ('ё' kept), without a trailing dot; compounds keep their '-' («Тверская-Ямская», «1-я»). */
  raw: string
  /** Folded for lookups: lower case, 'ё' → 'е', Latin look-alikes → Cyrillic in Cyrillic words. */
  low: string
  /** Nothing at all (no space, dot or comma) between the previous atom and this one: «5к2», «12-а». */
  glued: boolean
  /** First atom of the text or after ',', ';', '(' or ')'. */
  segStart: boolean
  /** A '.' follows it. */
  dot: boolean
  /** The vocabulary entry of a word, looked up once here. */
  marker: Marker | undefined
  /** A word without identity («Россия», «им.», «В.О.»). */
  noise: boolean
}

const LETTER = 1
const DIGIT = 2
const DASH = 3
const SLASH = 4
const DOT = 5
const SEGMENT = 6
const GAP = 7

function charClass(c: number): number {
  if (c >= 0x30 && c <= 0x39) return DIGIT
  if ((c >= 0x430 && c <= 0x44f) || (c >= 0x410 && c <= 0x42f) || c === 0x451 || c === 0x401) return LETTER
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return LETTER
  switch (c) {
    case 0x2d: case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return DASH
    case 0x2f: case 0x5c: return SLASH
    case 0x2e: return DOT
    case 0x2c: case 0x3b: case 0x28: case 0x29: case 0x0a: case 0x0d: return SEGMENT
    default: return GAP
  }
}

/** Latin letters that look like Cyrillic ones, by lower-case char code. */
const LOOKALIKES = new Map<number, string>([
  [0x61, 'а'], [0x62, 'в'], [0x63, 'с'], [0x65, 'е'], [0x68, 'н'], [0x6b, 'к'], [0x6d, 'м'],
  [0x6f, 'о'], [0x70, 'р'], [0x74, 'т'], [0x78, 'х'], [0x79, 'у'],
])

// The same few hundred thousand words recur across a million addresses; folding them once pays.
const FOLD_CACHE_LIMIT = 1 << 16
const foldCache = new Map<string, string>()

/** Lower case, 'ё' → 'е'; in a Cyrillic word (or a lone letter) Latin look-alikes become Cyrillic. */
export function foldWord(raw: string): string {
  let folded = foldCache.get(raw)
  if (folded === undefined) {
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear()
    folded = fold(raw)
    foldCache.set(raw, folded)
  }
  return folded
}

function fold(raw: string): string {
  let s = raw.toLowerCase()
  let latin = false
  let cyrillic = false
  let yo = false
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c >= 0x61 && c <= 0x7a) latin = true
    else if (c >= 0x430 && c <= 0x44f) cyrillic = true
    else if (c === 0x451) { yo = true; cyrillic = true }
  }
  if (yo) s = s.replaceAll('ё', 'е')
  if (latin && (cyrillic || s.length === 1)) {
    let t = ''
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k)
      t += LOOKALIKES.get(c) ?? s[k]
    }
    s = t
  }
  return s
}

/** The atoms of an address, in order; compounds («пр-т», «1-я», «г.о.») already joined. */
export function tokenize(text: string): Atom[] {
  const out: Atom[] = []
  let gap = false // whitespace, dot or noise since the previous atom
  let space = false // whitespace or noise (not only a dot) since the previous atom
  let seg = true

  const n = text.length
  let i = 0
  while (i < n) {
    const cls = charClass(text.charCodeAt(i))
    let kind: AtomKind
    let raw: string
    let low: string
    if (cls === LETTER || cls === DIGIT) {
      let j = i + 1
      while (j < n && charClass(text.charCodeAt(j)) === cls) j++
      raw = text.slice(i, j)
      if (cls === DIGIT) { kind = 'num'; low = raw } else { kind = 'word'; low = foldWord(raw) }
      i = j
    } else if (cls === DASH || cls === SLASH) {
      kind = cls === DASH ? 'dash' : 'slash'
      raw = low = cls === DASH ? '-' : '/'
      i++
    } else {
      if (cls === DOT) {
        const last = out[out.length - 1]
        if (last && !seg) last.dot = true
      } else if (cls === SEGMENT) {
        seg = true
      } else {
        space = true
      }
      gap = true
      i++
      continue
    }
    const atom: Atom = {
      kind, raw, low, glued: out.length > 0 && !gap && !seg, segStart: seg, dot: false, marker: undefined, noise: false,
    }
    if (kind === 'num') { if (!joinNumberToName(out, atom)) out.push(atom) }
    else if (kind !== 'word') out.push(atom)
    else if (splitHouseLetter(out, atom, text, i)) { /* «131Ак3»: pushed as «А» and «к» */ }
    else if (seg || !merge(out, atom, space)) out.push(describe(atom))
    gap = false
    space = false
    seg = false
  }
  return out
}

/**
 * «131Ак3», «12Бстр1», «7Вкв5»: a house letter glued to the marker of a корпус, строение or flat that a number
 * follows is two words, the letter and the marker. Not a word that is a marker itself («5кв12», «5стр1»).
 */
function splitHouseLetter(out: Atom[], word: Atom, text: string, end: number): boolean {
  const last = out[out.length - 1]
  if (!word.glued || last?.kind !== 'num' || word.low.length < 2 || MARKERS.has(word.low)) return false
  if (charClass(text.charCodeAt(end)) !== DIGIT) return false
  const marker = MARKERS.get(word.low.slice(1))
  const role = marker?.numberRole ?? marker?.role
  if (role !== 'building' && role !== 'structure' && role !== 'flat') return false
  const c = word.low.charCodeAt(0)
  if (c < 0x430 || c > 0x44f) return false
  out.push(describe({ ...word, raw: word.raw.slice(0, 1), low: word.low.slice(0, 1) }),
    describe({ ...word, raw: word.raw.slice(1), low: word.low.slice(1) }))
  return true
}

function describe(word: Atom): Atom {
  word.marker = MARKERS.get(word.low)
  word.noise = NOISE.has(word.low)
  return word
}

/**
 * A number joined by a hyphen, with no space, to a name word is part of that name: «Горки-2», «Арзамас-16»,
 * «Новая-633», «Северный-2» are names, not house 2, 16, 633, 2. Not after a number or a house letter («5к2-12»,
 * «12а-5»: the flat), nor after a marker word («д-5», «кв-12», «к-2»: the number the marker introduces), nor
 * after a dotted abbreviation («д.-5»).
 */
function joinNumberToName(out: Atom[], num: Atom): boolean {
  const dash = out[out.length - 1]
  const name = out[out.length - 2]
  if (!num.glued || dash?.kind !== 'dash' || !dash.glued || name?.kind !== 'word') return false
  if (name.dot || name.noise || name.marker !== undefined || name.low.length < 2) return false
  name.raw += '-' + num.raw
  name.low += '-' + num.low
  out.pop()
  return true
}

/**
 * Joins a word onto what precedes it when together they are one word:
 * «пр-т», «Тверская-Ямская» (word-word), «1-я», «60-летия» (number-word), «1я», «г.о.», «В.О.».
 */
function merge(out: Atom[], word: Atom, spaced: boolean): boolean {
  const last = out[out.length - 1]
  if (!last) return false
  if (word.glued && last.kind === 'dash' && last.glued) {
    const before = out[out.length - 2]
    if (!before || before.dot) return false
    if (before.kind === 'word') {
      before.raw += '-' + word.raw
      before.low += '-' + word.low
      describe(before)
      out.pop()
      return true
    }
    if (before.kind === 'num' && (ORDINAL_SUFFIXES.has(word.low) || (word.low.length >= 2 && !MARKERS.has(word.low)))) {
      before.kind = 'word'
      before.raw += '-' + word.raw
      before.low += '-' + word.low
      describe(before)
      out.pop()
      return true
    }
    return false
  }
  if (word.glued && last.kind === 'num' && ORDINAL_SUFFIXES.has(word.low) && word.low.length >= 1) {
    // «1я Парковая»: a lone glued letter other than an ordinal ending is a house letter («12а»)
    last.kind = 'word'
    last.raw += word.raw
    last.low += word.low
    describe(last)
    return true
  }
  if (!spaced && last.kind === 'word' && last.dot && last.low.length === 1 && word.low.length === 1) {
    last.raw += '.' + word.raw
    last.low += '.' + word.low
    last.dot = false
    describe(last)
    return true
  }
  return false
}
