// How a duplicate finding explains itself to the specialist who judges it: which fields agree, which
// differ and by what slip, the match key, and why a large group was split. Texts only; the detector
// (src/engine/detectors/fuzzy-duplicate.ts) decides what to say.

/** A slip as the detector describes it: `from` is the member's spelling, `to` the centre's. */
export interface SlipText { slip: string; from: string; to: string; letters: string }

/** What each kind of slip did to the centre's spelling («letters» are the letters involved). */
const SLIP_RU: Record<string, (letters: string) => string> = {
  replaced: (l) => `буква «${l[0]}» вместо «${l[1]}»`,
  missing: (l) => `пропущена буква «${l}»`,
  added: (l) => `лишняя буква «${l}»`,
  swapped: (l) => `переставлены соседние буквы «${l}»`,
}

/** «горьокго ↔ горького: переставлены соседние буквы «ок»». */
export function slipRu(slip: SlipText): string {
  const how = SLIP_RU[slip.slip]?.(slip.letters) ?? slip.slip
  return `${slip.from} ↔ ${slip.to}: ${how}`
}

/** Fields of an address as the explanation names them. */
export const ADDRESS_FIELD_RU: Record<string, string> = {
  city: 'город', streetType: 'тип улицы', street: 'улица', house: 'дом', building: 'корпус', structure: 'строение', flat: 'квартира',
}

/** Fields of a customer as the explanation names them. */
export const CUSTOMER_FIELD_RU: Record<string, string> = { inn: 'ИНН', phone: 'телефон', name: 'имя' }

/** «совпадают город, дом; улица: …; ключ «…»». */
export function explanationRu(agree: string[], differ: string[], matchKey: string): string {
  const parts = [`совпадают: ${agree.join(', ')}`]
  if (differ.length > 0) parts.push(`различаются: ${differ.join('; ')}`)
  parts.push(`ключ сравнения «${matchKey}»`)
  return parts.join('; ')
}

/** A group over the limit, split into parts: say so, so that a person looks at it. */
export function oversizedRu(size: number, limit: number, part: number, parts: number): string {
  return `группа из ${size} записей больше предела ${limit}: разделена, это часть ${part} из ${parts} — проверьте вручную`
}
