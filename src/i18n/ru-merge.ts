// Texts of merging duplicates (src/merge/merge.ts, preview.ts, unmerge.ts): refusals of a merge and of its undo.
// Keys, fields and ids come in as parameters, as written.
import { ENTITY_TYPE_RU } from './ru.ts'

// an incident is no record type of the model, but a merge moves incidents too
const NAMES: Record<string, string> = { ...ENTITY_TYPE_RU, incident: 'обращение' }
const nominative = (type: string) => NAMES[type] ?? type
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const list = (keys: readonly string[]) => keys.join(', ')

/** Record types in the plural, as in «объединяются клиенты и адреса». */
const PLURAL_RU: Record<string, string> = { customer: 'клиенты', address: 'адреса' }

export const MERGE_RU = {
  forbiddenRole: (role: string, roles: readonly string[]) => `роли ${role} объединять записи нельзя (можно ролям ${roles.join(', ')})`,
  notMergeable: (type: string, types: readonly string[]) => `записи типа «${type}» не объединяются (объединяются: ${types.join(', ')})`,
  tooFewKeys: 'нужно не меньше двух разных записей',
  tooManyKeys: (max: number) => `за раз объединяется не больше ${max} записей`,
  survivorNotMember: (key: string) => `запись ${key}, которая должна остаться, не входит в объединяемые`,
  unknownField: (field: string, known: readonly string[]) => `нет такого поля «${field}» (поля: ${known.join(', ')})`,
  fieldFromNotMember: (field: string, from: string) => `значение поля «${field}» берётся из ${from}, а эта запись не входит в объединяемые`,
  badVersion: 'неверная версия предпросмотра: передайте её из предпросмотра как есть',
  inputText: (max: number) => `ключи и поля — не длиннее ${max} символов, без нулевого символа`,
  badCursor: 'неверный курсор страницы: передайте курсор конца предыдущей страницы как есть',
  badFindingId: (id: string) => `«${id}» — не идентификатор находки`,
  findingNotFound: (id: string) => `нет находки ${id}`,
  memberGone: (type: string, key: string) =>
    `${capital(nominative(type))} ${key} уже объединён с другой записью или удалён: посмотрите объединение заново`,
  membersChanged: (type: string, keys: readonly string[]) =>
    `${capital(nominative(type))} ${list(keys)} изменён после предпросмотра: посмотрите объединение заново`,
  markedDistinct: (type: string, a: string, b: string, id: number) =>
    `${capital(PLURAL_RU[type] ?? type)} ${a} и ${b} отмечены как «не дубликат» (отметка ${id}): снимите отметку, чтобы их объединить`,
  otherMarket: (markets: readonly string[]) =>
    `ключ ограничен рынками ${markets.join(', ')}: объединение перенесло бы записи других рынков`,
  aliasTaken: (type: string, key: string) => `${capital(nominative(type))} ${key} уже стал псевдонимом другой записи: посмотрите объединение заново`,
  markRemovedByMerge: (survivor: string) => `снята при объединении в ${survivor}: такая отметка у оставшейся записи уже есть`,
  changedMeanwhile: 'записи изменились во время объединения: повторите',

  mergeNotFound: (id: string) => `нет объединения ${id}`,
  alreadyUndone: (by: string) => `объединение уже отменено (${by})`,
  survivorGone: (type: string, key: string) => `${capital(nominative(type))} ${key} удалён после объединения: отменить его нельзя`,
  changedAfter: (type: string, key: string) => `${nominative(type)} ${key} изменён после объединения: отменить его нельзя`,
  goneAfter: (type: string, key: string) => `${nominative(type)} ${key} удалён после объединения: отменить его нельзя`,
  aliasMoved: (alias: string, target: string | null) => target === null
    ? `псевдоним ${alias} удалён после объединения: отменить его нельзя`
    : `псевдоним ${alias} указывает теперь на ${target}: отменить объединение нельзя`,
  keyTaken: (type: string, key: string) => `ключ ${key} занят новой записью (${nominative(type)}) после объединения: отменить его нельзя`,
  markChanged: (id: number) => `отметка «не дубликат» ${id} изменена после объединения: отменить его нельзя`,
} as const
