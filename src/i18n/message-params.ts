// A finding's message data as people read it in the message (the texts are in ru.ts).
import { displayMac } from '../equipment/identifiers.ts'
import { MATCHED_BY_RU, periodRu, REASON_RU, RECORD_STATUS_RU } from './ru.ts'

type MessageValue = string | number | null | undefined

/**
 * A finding's message data as people read it in the message: a MAC in colon notation, a reason, a status
 * or a matching criterion in Russian; `period` («с … по …», an open end said in words) is added when the
 * data has `from` and `to`; `explanation` (a duplicate group's) follows a dash, and is empty when the data has none.
 * The data itself (what tests and the API read) keeps the machine values.
 */
export function messageParams(data: Record<string, MessageValue>): Record<string, MessageValue> {
  const out: Record<string, MessageValue> = { ...data }
  for (const [name, value] of Object.entries(data)) {
    const field = name.slice(name.lastIndexOf('.') + 1)
    if (typeof value !== 'string') continue
    if (field === 'mac') out[name] = displayMac(value) ?? value
    else if (field === 'reason') out[name] = REASON_RU[value] ?? value
    else if (field === 'status') out[name] = RECORD_STATUS_RU[value] ?? value
    else if (field === 'matchedBy') out[name] = value.split(', ').map((v) => MATCHED_BY_RU[v] ?? v).join(', ')
  }
  // why a duplicate group is one, after a dash; data stored before findings explained themselves has none
  out.explanation = typeof data.explanation === 'string' && data.explanation !== '' ? ` — ${data.explanation}` : ''
  if ('from' in data && 'to' in data && !('period' in data)) out.period = periodRu(data.from as string | null, data.to as string | null)
  return out
}
