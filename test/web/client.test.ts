// How the console says a refused key (web/src/client.ts): the server's reasons, in Russian for a person.
import { CombinedError } from 'urql'
import { describe, expect, it } from 'vitest'
import { explainRefusal, refusedKey } from '../../web/src/client.ts'

describe('a refused key', () => {
  it('is explained in Russian, whatever the server said', () => {
    expect(explainRefusal('unknown or revoked API key')).toMatch(/^Ключ не принят: такого ключа нет или он отозван/)
    expect(explainRefusal('malformed Authorization header: expected Bearer <API key>')).toMatch(/начинается с sk_/)
    expect(explainRefusal('')).toMatch(/^Ключ не принят\. /)
  })

  it('is told from other errors by UNAUTHENTICATED or HTTP 401, not by a forbidden field or a broken network', () => {
    const unauthenticated = new CombinedError({ graphQLErrors: [{ message: 'unknown or revoked API key', extensions: { code: 'UNAUTHENTICATED' } }] })
    expect(refusedKey(unauthenticated)).toMatch(/отозван/)
    const status401 = new CombinedError({ networkError: new Error('401'), response: new Response('', { status: 401 }) })
    expect(refusedKey(status401)).toMatch(/^Ключ не принят/)
    const forbidden = new CombinedError({ graphQLErrors: [{ message: 'forbidden: a SUPPORT_AGENT key may not use Mutation.runAudit', extensions: { code: 'FORBIDDEN' } }] })
    expect(refusedKey(forbidden)).toBeNull()
    expect(refusedKey(new CombinedError({ networkError: new TypeError('Failed to fetch') }))).toBeNull()
  })
})
