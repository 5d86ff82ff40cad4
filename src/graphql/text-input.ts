// Refuses GraphQL requests whose text cannot be taken (src/input-text.ts): a NUL character or a lone surrogate in
// any variable or string literal of the document, and a body (or query string) that is not valid UTF-8 — before
// anything runs, as one BAD_USER_INPUT error naming each variable or argument, instead of an internal error from
// the database, field by field. Authentication still comes first: without a key the answer stays a 401.
import { isUtf8 } from 'node:buffer'
import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type SelectionSetNode, type ValueNode } from 'graphql'
import type { Plugin } from 'graphql-yoga'
import type { FieldProblem } from '../errors.ts'
import { TEXT_INPUT_RU } from '../i18n/ru-records.ts'
import { INVALID_TEXT, printable, textProblem, textProblems } from '../input-text.ts'

/** A problem with where it was found, in words: `variable $input.description (argument input of registerIncident)`, `argument text of search`. */
interface Found extends FieldProblem { where: string }

export function refuseInvalidText(): Plugin {
  // requests whose body or query string is not UTF-8: found while the request is read, refused once it is authenticated
  const undecodable = new WeakSet<Request>()
  const refuse = (setResult: (result: ExecutionResult) => void, found: Found[]) => setResult({
    errors: [new GraphQLError(found.map((f) => `${f.where}: ${f.message}`).join('; '), {
      extensions: { code: 'BAD_USER_INPUT', problems: found.map(({ field, code, message }) => ({ field, code, message })), http: { status: 400 } },
    })],
  })
  return {
    async onRequestParse({ request, url }) {
      if (request.method === 'POST') {
        if (!isUtf8(await request.clone().arrayBuffer())) undecodable.add(request)
      } else if (!decodes(url.search)) {
        undecodable.add(request)
      }
    },
    onParams({ request, setResult }) {
      if (!undecodable.has(request)) return
      const where = request.method === 'POST' ? TEXT_INPUT_RU.requestBody : TEXT_INPUT_RU.queryString
      refuse(setResult, [{ where, field: null, code: INVALID_TEXT, message: TEXT_INPUT_RU.notEncoding('UTF-8') }])
    },
    onExecute({ args, setResultAndStopExecution }) {
      const found = invalidText(args.document, args.variableValues)
      if (found.length > 0) refuse(setResultAndStopExecution, found)
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const found = invalidText(args.document, args.variableValues)
      if (found.length > 0) refuse(setResultAndStopExecution, found)
    },
  }
}

function decodes(search: string): boolean {
  try {
    decodeURIComponent(search)
    return true
  } catch {
    return false
  }
}

/** Every refused text in the document's string literals (variable defaults included) and in the variables. */
export function invalidText(document: DocumentNode, variables: Record<string, unknown> | null | undefined): Found[] {
  const found: Found[] = []
  // where each variable is used, for the message: `filter.city of addresses`
  const uses = new Map<string, string[]>()
  // owner: the field or directive whose argument this is; null for a variable's default value
  const values = (value: ValueNode, path: string, owner: string | null) => {
    const pending: Array<[ValueNode, string]> = [[value, path]]
    while (pending.length > 0) {
      const [v, at] = pending.pop()!
      if (v.kind === Kind.STRING) {
        const problem = textProblem(v.value)
        if (problem) found.push({ where: owner === null ? TEXT_INPUT_RU.defaultOf(at) : TEXT_INPUT_RU.argumentOf(at, owner), field: at, code: INVALID_TEXT, message: problem })
      } else if (v.kind === Kind.LIST) {
        v.values.forEach((item, i) => pending.push([item, `${at}.${i}`]))
      } else if (v.kind === Kind.OBJECT) {
        for (const f of v.fields) pending.push([f.value, `${at}.${f.name.value}`])
      } else if (v.kind === Kind.VARIABLE) {
        uses.set(v.name.value, [...(uses.get(v.name.value) ?? []), TEXT_INPUT_RU.use(at, owner ?? '')])
      }
    }
  }
  const directives = (node: { directives?: ReadonlyArray<{ name: { value: string }; arguments?: ReadonlyArray<{ name: { value: string }; value: ValueNode }> }> }) => {
    for (const d of node.directives ?? []) for (const a of d.arguments ?? []) values(a.value, a.name.value, `@${d.name.value}`)
  }
  const selections = (set: SelectionSetNode) => {
    const pending = [set]
    while (pending.length > 0) {
      for (const s of pending.pop()!.selections) {
        directives(s)
        if (s.kind === Kind.FIELD) for (const a of s.arguments ?? []) values(a.value, a.name.value, s.name.value)
        if (s.kind !== Kind.FRAGMENT_SPREAD && s.selectionSet) pending.push(s.selectionSet)
      }
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      directives(definition)
      for (const v of definition.variableDefinitions ?? []) if (v.defaultValue) values(v.defaultValue, `$${v.variable.name.value}`, null)
      selections(definition.selectionSet)
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      directives(definition)
      selections(definition.selectionSet)
    }
  }
  for (const [name, value] of Object.entries(variables ?? {})) {
    const used = uses.get(name)
    for (const p of textProblems(value, `$${printable(name)}`)) {
      found.push({ ...p, where: TEXT_INPUT_RU.variable(p.field ?? '', used ?? []) })
    }
  }
  return found.slice(0, 10)
}
