// The GraphQL client: urql with the key as a Bearer header. An answer that says the key is not (or no longer)
// accepted signs out with the reason; a server that does not answer is reported once (see App).
import { Client, fetchExchange, mapExchange, type CombinedError } from 'urql'

export interface ClientEvents {
  /** the key was refused (expired, revoked, wrong): back to sign-in with this reason */
  unauthenticated(reason: string): void
  /** no answer from the server (network down, server stopped) */
  unreachable(): void
  /** an answer came: the server is there again */
  reachable(): void
}

export function makeClient(key: string, events: ClientEvents): Client {
  return new Client({
    url: '/graphql',
    // each screen asks for what it shows now: no normalised cache to keep honest
    exchanges: [
      mapExchange({
        onResult(result) {
          if (!result.error?.networkError || result.error.response) events.reachable()
          return result
        },
        onError(error) {
          const reason = refusedKey(error)
          if (reason) events.unauthenticated(reason)
          else if (error.networkError && !error.response) events.unreachable()
        },
      }),
      fetchExchange,
    ],
    preferGetMethod: false,
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${key}` } }),
  })
}

/** Why the server refused the key, in Russian; null when it did not. */
export function refusedKey(error: CombinedError): string | null {
  const unauthenticated = error.graphQLErrors.find((e) => e.extensions?.code === 'UNAUTHENTICATED')
  const status = (error.response as Response | undefined)?.status
  if (!unauthenticated && status !== 401) return null
  return explainRefusal(unauthenticated?.message ?? '')
}

/** The server's reason for refusing a key, said for a person. */
export function explainRefusal(message: string): string {
  // the server says «unknown or revoked» for both on purpose (it does not tell a stolen key it once was valid)
  if (/revoked|отозван/i.test(message)) return 'Ключ не принят: такого ключа нет или он отозван. Проверьте ключ или попросите новый у администратора.'
  if (/expired|истёк|истек/i.test(message)) return 'Срок действия ключа истёк. Попросите новый ключ у администратора.'
  if (/malformed|Bearer/i.test(message)) return 'Ключ не похож на ключ API (он начинается с sk_). Проверьте, что скопирован весь ключ.'
  return `Ключ не принят${message ? ` (${message})` : ''}. Проверьте ключ или попросите новый у администратора.`
}
