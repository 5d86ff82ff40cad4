// Sign-in: one field for the API key. The key is checked with `me` before it is kept (sessionStorage only).
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { explainRefusal } from './client.ts'

export interface Viewer { name: string; role: string; markets: string[]; permissions: string[] }

export type CheckResult = { viewer: Viewer } | { refused: string } | { unreachable: true }

/** Asks the server who a key is: the viewer, why it refuses it, or that it does not answer. */
export async function checkKey(key: string): Promise<CheckResult> {
  let response: Response
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ me { name role markets permissions } }' }),
    })
  } catch {
    return { unreachable: true }
  }
  const body = await response.json().catch(() => null) as { data?: { me?: Viewer }; errors?: Array<{ message: string; extensions?: { code?: string } }> } | null
  if (body?.data?.me) return { viewer: body.data.me }
  if (response.status >= 500 || !body) return { unreachable: true }
  return { refused: explainRefusal(body.errors?.[0]?.message ?? '') }
}

export function SignIn({ reason, onSignedIn }: { reason: string | null; onSignedIn: (key: string, viewer: Viewer) => void }) {
  const [key, setKey] = useState('')
  const [problem, setProblem] = useState<string | null>(reason)
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    const typed = key.trim()
    if (!typed) { setProblem('Введите ключ API.'); return }
    setBusy(true)
    const result = await checkKey(typed)
    setBusy(false)
    if ('viewer' in result) onSignedIn(typed, result.viewer)
    else setProblem('refused' in result ? result.refused : 'Сервер Сверки не отвечает. Проверьте, что он запущен, и попробуйте ещё раз.')
  }

  return (
    <main className="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Сверка — вход в консоль</h1>
        {problem && <p className="problem" role="alert">{problem}</p>}
        <label htmlFor="api-key">Ключ API</label>
        <input id="api-key" ref={input} type="password" autoComplete="off" spellCheck={false} value={key}
          onChange={(e) => setKey(e.target.value)} placeholder="sk_…" aria-describedby="api-key-help" />
        <p id="api-key-help" className="help">
          Ключ выдаёт администратор (<code>sverka apikey create</code>). Он хранится только в этой вкладке
          до её закрытия и никуда не записывается.
        </p>
        <button type="submit" disabled={busy}>{busy ? 'Проверяем…' : 'Войти'}</button>
      </form>
    </main>
  )
}
