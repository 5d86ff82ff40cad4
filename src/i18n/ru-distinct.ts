// Texts of «not a duplicate» marks (src/merge/distinct.ts): the refusals a specialist reads when marking records of
// a duplicate finding as distinct or removing such a mark, and what a split duplicate finding says about the marks.
// Keys, finding ids and field names come in as parameters, as written.
import { ENTITY_TYPE_RU } from './ru.ts'

const quoted = (values: readonly string[]) => values.map((v) => `«${v}»`).join(', ')

/** Refusals of markDistinct / removeDistinctMark / listDistinctMarks. */
export const DISTINCT_RU = {
  findingNotFound: (id: string) => `нет находки «${id}»`,
  markNotFound: (id: number | string) => `нет отметки «не дубликат» №${id}`,
  notDuplicateFinding: (ruleId: string) =>
    `находка правила «${ruleId}» не о дубликатах: «не дубликат» отмечают только на находках о дублях адресов или клиентов`,
  tooFewKeys: 'укажите не меньше двух записей находки',
  notInFinding: (keys: readonly string[], subjects: readonly string[]) =>
    `${keys.length === 1 ? 'запись' : 'записи'} ${quoted(keys)} не из этой находки (в ней: ${subjects.join(', ')})`,
  repeatedKey: (key: string) => `запись «${key}» указана дважды`,
  reasonRequired: 'укажите причину: почему это разные записи',
  reasonTooLong: (max: number) => `причина длиннее ${max} символов`,
  actorRequired: 'не указано, кто ставит отметку',
  keyNotFound: (type: string, key: string) => `нет записи «${ENTITY_TYPE_RU[type] ?? type}» «${key}»`,
  alreadyRemoved: (id: number, at: string, by: string) => `отметка «не дубликат» №${id} уже снята (${at}, ${by})`,
  unknownType: (type: string, known: readonly string[]) => `неизвестный тип записей «${type}» (допустимо: ${known.join(', ')})`,
} as const

/** What a duplicate finding split by marks says: «записи A-1 и A-2 отмечены как не дубликаты: группа разделена». */
export function distinctSplitRu(pairs: ReadonlyArray<readonly [string, string]>): string {
  const named = pairs.map(([a, b]) => `${a} и ${b}`).join(', ')
  return `${pairs.length === 1 ? 'записи' : 'пары записей'} ${named} отмечены как не дубликаты: группа разделена`
}
