// Texts of master data and its import that people read: the problems of a record written through the API, the
// reasons of rejects.csv and the notes of the import table, the refusals of writes, and the refusal of text the
// database cannot hold (a NUL character, a lone surrogate). Column names, keys, options and encodings a person
// types back come in as parameters, as written. The problem codes beside these texts stay English.
import { ENTITY_TYPE_RU } from './ru.ts'

/** Entity types in the genitive, as in «нет договора D-1». */
export const ENTITY_TYPE_GENITIVE_RU: Record<string, string> = {
  market: 'рынка', equipmentType: 'типа оборудования', product: 'продукта', customer: 'клиента',
  address: 'адреса', contract: 'договора', equipment: 'оборудования',
}

const nominative = (type: string) => ENTITY_TYPE_RU[type] ?? type
const genitive = (type: string) => ENTITY_TYPE_GENITIVE_RU[type] ?? type
const quoted = (values: readonly string[]) => values.map((v) => `«${v}»`).join(', ')

/** A cell or a field of one record, checked as the importer checks a row (reasons of rejects.csv, API problems). */
export const CELL_RU = {
  required: 'обязательное значение не заполнено',
  badDate: (value: string, pattern: string) => `неверная дата «${value}» (нужен формат ${pattern})`,
  unknownValue: (value: string, known: readonly string[]) => `неизвестное значение «${value}» (допустимо: ${known.join(', ')})`,
  /** `encoding`: the file's expected encoding; `other`, `option`: the encoding to name and the option that reads it */
  notEncoding: (encoding: string, other: string, option: string) =>
    `текст не в кодировке ${encoding}; если файл в кодировке ${other}, импортируйте его с ${option}`,
  unknownReference: (type: string, keys: readonly string[]) => `нет ${genitive(type)} ${quoted(keys)}`,
  nul: 'содержит нулевой символ: такой текст не сохранить',
  unknownField: (type: string, expected: readonly string[]) =>
    `нет такого поля у записи типа «${nominative(type)}» (поля: ${expected.join(', ')})`,
} as const

/** Master-data writes outside the importer: create, update, delete of one record. */
export const RECORD_RU = {
  exists: (type: string, key: string) => `${nominative(type)} ${key} уже есть (бизнес-ключи уникальны по всем рынкам)`,
  notFound: (type: string, key: string) => `нет ${genitive(type)} ${key}`,
  keyChange: (column: string, type: string) =>
    `поле ${column} сохранённой записи типа «${nominative(type)}» не меняется: создайте новую запись и удалите эту`,
  catalogueForbidden: (markets: readonly string[], type: string) =>
    `ключ ограничен рынками ${markets.join(', ')}: записи типа «${nominative(type)}» ему менять нельзя — это общий справочник всех рынков`,
  deviceOutOfScope: (markets: readonly string[]) =>
    `ключ ограничен рынками ${markets.join(', ')}: устройство регистрируется на договор этих рынков или по адресу, где такой договор есть`,
  /** what still refers to a record, by the referrer's label (src/records/model.ts referrersOf): its type, or `type.column` for a list */
  referrer: {
    contract: 'договоры',
    'product.markets': 'продукты, предлагаемые на этом рынке',
    product: 'продукты',
    equipment: 'оборудование',
  } as Record<string, string>,
  referrers: (label: string, keys: readonly string[], more: number) => `${label} ${keys.join(', ')}` + (more > 0 ? ` и ещё ${more}` : ''),
  referred: (type: string, key: string, parts: readonly string[]) =>
    `${nominative(type)} ${key}: удалить нельзя, на запись ссылаются: ${parts.join('; ')} — сначала удалите или перенесите их`,
  referredHidden: (type: string, key: string) => `${nominative(type)} ${key}: на запись ещё ссылаются другие записи, удалить её нельзя`,
  changedMeanwhile: (type: string, key: string) =>
    `${nominative(type)} ${key}: связанная запись за это время изменилась; повторите попытку`,
  /** checkConflicts without exactly one record */
  exactlyOne: (types: readonly string[]) => `укажите ровно одно из: ${types.join(', ')}`,
  tooManyValues: (max: number) => `не больше ${max} значений`,
} as const

/** An import file as a whole, and what its reading finds: rejects.csv reasons and the note of the import table. */
export const IMPORT_RU = {
  notDirectory: (dir: string) => `импорт: ${dir} — не каталог`,
  noFiles: (dir: string, files: readonly string[]) => `импорт: в ${dir} нет файлов для импорта (ожидается любой из: ${files.join(', ')})`,
  emptyFile: 'пустой файл: нет строки заголовка',
  noHeader: 'нет строки заголовка',
  nothingRead: (why: string) => `${why}; ничего не прочитано`,
  headerLacks: (columns: readonly string[]) =>
    columns.length > 1 ? `в заголовке нет обязательных столбцов ${columns.join(', ')}` : `в заголовке нет обязательного столбца ${columns.join(', ')}`,
  wholeFileRejected: (why: string) => `${why}: файл отклонён целиком`,
  fileRejected: (why: string) => `файл отклонён: ${why}`,
  duplicateKey: (column: string, key: string, firstLine: number) =>
    `повтор ${column} «${key}» в этом файле (впервые в строке ${firstLine}); эта строка пропущена`,
  quoteRunsOn: (endLine: number) => `непарная кавычка: поле в кавычках, открытое в этой строке, тянется до строки ${endLine}`,
  quoteNeverClosed: 'непарная кавычка: поле в кавычках, открытое в этой строке, не закрыто',
  afterClosingQuote: (char: string) => `ошибка CSV: лишний символ «${char}» после закрывающей кавычки`,
} as const

/** Text the database cannot hold, refused at the door (src/input-text.ts, src/graphql/text-input.ts). */
export const TEXT_INPUT_RU = {
  /** `code`: the character as Unicode names it, e.g. U+0000 */
  nul: (code: string) => `не должно содержать нулевой символ (${code})`,
  loneSurrogate: (code: string, at: number) => `не может содержать одиночный суррогат (${code}) — это не Юникод; позиция ${at}`,
  /** an object key (a field name) that holds such a character */
  name: (problem: string) => `имя поля ${problem}`,
  notEncoding: (encoding: string) => `не в кодировке ${encoding}`,
  requestBody: 'тело запроса',
  queryString: 'строка запроса',
  defaultOf: (at: string) => `значение по умолчанию ${at}`,
  argumentOf: (at: string, owner: string) => `аргумент ${at} в ${owner}`,
  variable: (name: string, uses: readonly string[]) =>
    `переменная ${name}` + (uses.length ? ` (аргумент ${uses.join(', аргумент ')})` : ''),
  /** a place a variable is used: `text of search` */
  use: (at: string, owner: string) => `${at} в ${owner}`,
} as const

/** Arguments of the master-data lists and lookups (src/graphql/schema/connections.ts and the lookups by identifier). */
export const LOOKUP_RU = {
  /** `argument`: the paging argument as typed, first or last */
  /** a lookup value nothing comparable is left of: «"позвоните мне" — не номер телефона (…)» */
  notA: (value: string, what: string) => `${value} — не ${what}`,
  phone: 'номер телефона (нужно не меньше 7 цифр)',
  serial: 'серийный номер (после удаления пробелов и знаков - . / _ ничего не осталось)',
  mac: 'MAC-адрес (нужно 12 шестнадцатеричных цифр)',
  inn: 'ИНН: только цифры (10 или 12)',
} as const

/** A key that is the alias of a merged record (src/merge/aliases.ts): the refusals name the record it stands for. */
export const ALIAS_RU = {
  /** createRecord with an alias key */
  exists: (type: string, key: string, target: string) =>
    `${nominative(type)} ${key} — псевдоним записи «${target}» (объединена): ключ занят, запись с ним не создаётся`,
  /** update or delete by an alias key */
  notFound: (type: string, key: string, target: string) =>
    `нет ${genitive(type)} ${key} — это псевдоним записи «${target}» (объединена): меняйте или удаляйте её`,
  /** an import row under an alias whose record is gone (rejects.csv) */
  survivorGone: (target: string) => `ключ — псевдоним записи «${target}» (объединена), а её больше нет: строка не загружена`,
} as const
