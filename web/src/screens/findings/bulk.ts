// One request for an action on many findings: one mutation document with an alias per finding
// (f0: acknowledgeFinding(fingerprint: $f0 …) …), and the answer read back per finding. Pure: test/web/bulk.test.ts.

export type Action = 'acknowledge' | 'assign' | 'start' | 'resolve' | 'waive' | 'reopen' | 'comment'

export interface ActionInput {
  reason?: string
  /** resolve */
  comment?: string
  /** waive: ISO moment or null (for good) */
  until?: string | null
  /** assign */
  group?: string
  line?: number | null
  assignee?: string | null
  /** comment */
  text?: string
}

const FIELD: Record<Action, string> = {
  acknowledge: 'acknowledgeFinding', assign: 'assignFinding', start: 'startFinding', resolve: 'resolveFinding',
  waive: 'waiveFinding', reopen: 'reopenFinding', comment: 'commentFinding',
}

/** The arguments each action takes besides the fingerprint, with their GraphQL types. */
const ARGS: Record<Action, Array<[keyof ActionInput, string]>> = {
  acknowledge: [['reason', 'String']],
  start: [['reason', 'String']],
  reopen: [['reason', 'String']],
  resolve: [['comment', 'String!']],
  waive: [['reason', 'String!'], ['until', 'DateTime']],
  assign: [['group', 'String!'], ['line', 'Int'], ['assignee', 'String'], ['reason', 'String']],
  comment: [['text', 'String!']],
}

export const ACTION_WORD: Record<Action, string> = {
  acknowledge: 'Принять', assign: 'Назначить', start: 'Взять в работу', resolve: 'Решить', waive: 'Исключить', reopen: 'Открыть снова', comment: 'Комментировать',
}

/** The mutation document and its variables for `action` on every fingerprint (in one request). */
export function bulkMutation(action: Action, fingerprints: readonly string[], input: ActionInput): { query: string; variables: Record<string, unknown> } {
  if (fingerprints.length === 0) throw new Error('no finding chosen')
  const args = ARGS[action].filter(([name]) => input[name] !== undefined && input[name] !== '')
  const variables: Record<string, unknown> = {}
  const declared = args.map(([name, type]) => { variables[name] = input[name]; return `$${name}: ${type}` })
  const fields = fingerprints.map((fp, i) => {
    variables[`f${i}`] = fp
    declared.push(`$f${i}: String!`)
    const passed = [`fingerprint: $f${i}`, ...args.map(([name]) => `${name}: $${name}`)].join(', ')
    return `  f${i}: ${FIELD[action]}(${passed}) { __typename ...on Error { code message } ...on ValidationFailed { problems { field message } } }`
  })
  return { query: `mutation Bulk${FIELD[action]}(${declared.join(', ')}) {\n${fields.join('\n')}\n}`, variables }
}

export interface Outcome { fingerprint: string; ok: boolean; message?: string; problems?: Array<{ field: string | null; message: string }> }

/** The answer per finding, in the order asked. A missing alias (the request failed) is a refusal with `fallback`. */
export function bulkOutcomes(fingerprints: readonly string[], data: Record<string, unknown> | null | undefined, fallback: string): Outcome[] {
  return fingerprints.map((fingerprint, i) => {
    const answer = data?.[`f${i}`] as { __typename?: string; message?: string; problems?: Array<{ field: string | null; message: string }> } | null | undefined
    if (!answer?.__typename) return { fingerprint, ok: false, message: fallback }
    if (answer.__typename.endsWith('Success')) return { fingerprint, ok: true }
    return { fingerprint, ok: false, message: answer.message ?? fallback, ...(answer.problems?.length ? { problems: answer.problems } : {}) }
  })
}
