// The pure part of merging duplicates and «Не дубликат» on a finding's page: which findings may be merged, the
// words for the survivor's reason and the import columns, the choices a person made → MergeInput, and what a
// `merged` event's data names. Pure: test/web/findings-merge.test.ts.

export type MergeableType = 'ADDRESS' | 'CUSTOMER'

/** The detector kind whose findings are duplicate groups (address-duplicate, customer-duplicate). */
export const DUPLICATE_KIND = 'fuzzy-duplicate'

/**
 * The record type a finding's records can be merged as: its rule groups duplicates and it names two or more
 * records, all addresses or all customers. null: not a duplicate group (no «Объединить» / «Не дубликат»).
 */
export function mergeableTypeOf(ruleKind: string | null | undefined, entities: ReadonlyArray<{ type: string }>): MergeableType | null {
  if (ruleKind !== DUPLICATE_KIND || entities.length < 2) return null
  const types = new Set(entities.map((e) => e.type))
  if (types.size !== 1) return null
  const [type] = types
  return type === 'address' ? 'ADDRESS' : type === 'customer' ? 'CUSTOMER' : null
}

/** Why the server proposes this survivor (SurvivorReason), for people. */
export const SURVIVOR_REASON_WORD: Record<string, string> = {
  CHOSEN: 'выбрана вами', COMPLETE: 'самая полная запись', LINKS: 'больше всего связей', OLDEST: 'самая старая', KEY: 'наименьший код',
}

/** The import columns of an address and a customer (CSV names and field names alike), for people; others as named. */
const FIELD_WORD: Record<string, string> = {
  text: 'Адрес', region: 'Регион', city: 'Город', street: 'Улица', house: 'Дом', building: 'Корпус', structure: 'Строение',
  apartment: 'Квартира', postal_code: 'Индекс', postalCode: 'Индекс',
  name: 'Имя', kind: 'Вид', inn: 'ИНН', phone: 'Телефон', email: 'Эл. почта',
}

export function fieldWord(field: string): string {
  return FIELD_WORD[field] ?? field
}

/** A customer's kind as stored (PERSON, COMPANY) said as the record's page says it; other values as they are. */
export function valueText(field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (field === 'kind') return value === 'COMPANY' ? 'организация' : value === 'PERSON' ? 'физическое лицо' : value
  return value
}

export const MOVE_WORD: Record<string, string> = { CONTRACT: 'Договор', EQUIPMENT: 'Устройство', INCIDENT: 'Обращение' }

/** The field of the preview as the panel needs it (MergeField of the API). */
export interface PanelField {
  field: string
  from: string
  differs: boolean
  options: ReadonlyArray<{ key: string; value: string | null }>
}

/**
 * The member whose value a field takes as the panel shows it: the person's choice; else, when the survivor was
 * changed since the preview, the survivor's own value if it has one; else the preview's pick (the server's rule:
 * the survivor's value, else the first member in proposal order that has one).
 */
export function shownSource(field: PanelField, survivor: string, previewSurvivor: string, chosen: Readonly<Record<string, string>>): string {
  const own = chosen[field.field]
  if (own && field.options.some((o) => o.key === own)) return own
  if (survivor !== previewSurvivor && field.options.find((o) => o.key === survivor)?.value) return survivor
  return field.from
}

export interface MergeChoice {
  type: MergeableType
  keys: readonly string[]
  survivor: string | null
  /** field → member key, as shown (only differing fields are sent) */
  fields: ReadonlyArray<PanelField>
  previewSurvivor: string
  chosen: Readonly<Record<string, string>>
  findingId: string
  version?: string
}

/** The API's MergeInput for what the panel shows: the fields that differ are sent as shown, so what is merged is what was seen. */
export function mergeInput(c: MergeChoice): {
  type: MergeableType; keys: string[]; survivor?: string; fields?: Array<{ field: string; from: string }>; version?: string; findingId: string
} {
  const survivor = c.survivor ?? undefined
  const fields = c.fields.filter((f) => f.differs).map((f) => ({ field: f.field, from: shownSource(f, c.survivor ?? c.previewSurvivor, c.previewSurvivor, c.chosen) }))
  return {
    type: c.type, keys: [...c.keys],
    ...(survivor ? { survivor } : {}),
    ...(fields.length ? { fields } : {}),
    ...(c.version ? { version: c.version } : {}),
    findingId: c.findingId,
  }
}

/** The same input without its version: a preview is current while this is equal to the one it was made for. */
export function choiceKey(c: MergeChoice): string {
  const input = mergeInput({ ...c, version: undefined })
  return JSON.stringify(input)
}

/** A `merged` event's data → the merge's id and its survivor and members (absent fields: null / empty). */
export function mergedEvent(data: unknown): { mergeId: string | null; survivor: string | null; members: string[] } {
  const d = (data ?? {}) as { mergeId?: unknown; survivor?: unknown; members?: unknown }
  const id = typeof d.mergeId === 'string' || typeof d.mergeId === 'number' ? String(d.mergeId) : null
  return {
    mergeId: id,
    survivor: typeof d.survivor === 'string' ? d.survivor : null,
    members: Array.isArray(d.members) ? d.members.filter((m): m is string => typeof m === 'string') : [],
  }
}

/** «A-2 → A-1»: the members (other than the survivor) merged into the survivor. */
export function mergedText(survivor: string | null, members: readonly string[]): string {
  const others = members.filter((m) => m !== survivor)
  return survivor ? `${others.join(', ')}${others.length ? ' → ' : ''}${survivor}` : others.join(', ')
}

/** Why «Не дубликат» cannot be sent yet (null: it can): two or more records and a reason. */
export function distinctProblem(keys: readonly string[], reason: string): string | null {
  if (keys.length < 2) return 'Отметьте две записи или больше.'
  if (!reason.trim()) return 'Укажите причину: почему это разные записи.'
  return null
}

/** The number of pairs `n` records make (each gets its own mark). */
export function pairCount(n: number): number {
  return n < 2 ? 0 : (n * (n - 1)) / 2
}
