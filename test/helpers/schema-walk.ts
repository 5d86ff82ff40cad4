// A walk over the GraphQL schema for tests: from a root query field, every field of every type it reaches
// (unions and interfaces through every member), each type at most twice on a path, as deep as the query limits
// let a client go — split into queries that each fit the limits (depth, breadth, complexity as Pothos'
// complexity plugin counts them: a list multiplies what is under it by 10). A part no query can afford is
// left out: no client can reach it either.
import {
  getNamedType, isInterfaceType, isLeafType, isListType, isNonNullType, isObjectType, isUnionType,
  type GraphQLField, type GraphQLNamedType, type GraphQLOutputType,
} from 'graphql'
import { QUERY_LIMITS } from '../../src/graphql/builder.ts'
import { schema } from '../../src/graphql/schema/index.ts'

interface Sel {
  /** field name, or null for an inline fragment */
  name: string | null
  on?: string
  args?: string
  list: boolean
  children: Sel[]
}

const MAX_TYPE_REPEATS = 2
const MAX_NESTING = QUERY_LIMITS.depth - 1
// nested fields that take arguments: what to give them (unlisted required arguments: the field is left out)
const NESTED_ARGS: Record<string, string> = {}

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type
  return isListType(inner)
}

/** Every field of `type` and below, each type at most MAX_TYPE_REPEATS times on a path. */
function expand(type: GraphQLNamedType, path: string[], depth: number): Sel[] {
  if (isLeafType(type)) return []
  const seen = path.filter((t) => t === type.name).length
  if (seen >= MAX_TYPE_REPEATS || depth >= MAX_NESTING) return []
  const here = [...path, type.name]
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type)
    // a member too deep (or seen too often) to expand is left out: a fragment without fields is no query
    const fragments = members.map((m) => ({ name: null, on: m.name, list: false, children: expand(m, path, depth) })).filter((f) => f.children.length > 0)
    return [{ name: '__typename', list: false, children: [] }, ...fragments]
  }
  if (!isObjectType(type)) return []
  const out: Sel[] = [{ name: '__typename', list: false, children: [] }]
  for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
    const key = `${type.name}.${field.name}`
    if (required.length > 0 && !NESTED_ARGS[key]) continue
    const named = getNamedType(field.type)
    if (isLeafType(named)) {
      out.push({ name: field.name, list: false, children: [] })
      continue
    }
    const children = expand(named, here, depth + 1)
    if (children.length > 1) out.push({ name: field.name, ...(NESTED_ARGS[key] ? { args: NESTED_ARGS[key] } : {}), list: isList(field.type), children })
  }
  return out
}

const cost = (s: Sel): number => (s.name ? 1 : 0) + (s.list ? 10 : 1) * s.children.reduce((n, c) => n + cost(c), 0)
const breadth = (s: Sel): number => (s.name ? 1 : 0) + s.children.reduce((n, c) => n + breadth(c), 0)
const depth = (s: Sel): number => (s.name && s.children.length ? 1 : 0) + Math.max(0, ...s.children.map(depth))

const print = (s: Sel): string => {
  const inner = s.children.length ? ` { ${s.children.map(print).join(' ')} }` : ''
  return s.name ? `${s.name}${s.args ? `(${s.args})` : ''}${inner}` : `... on ${s.on}${inner}`
}

const within = (s: Sel) => cost(s) <= QUERY_LIMITS.complexity && breadth(s) <= QUERY_LIMITS.breadth - 10 && depth(s) <= QUERY_LIMITS.depth

/** `node` placed under the path `prefix` (each step keeping only its __typename and the next step). */
function wrap(prefix: Sel[], node: Sel): Sel {
  return prefix.reduceRight<Sel>((inner, step) => ({ ...step, children: [{ name: '__typename', list: false, children: [] }, inner] }), node)
}

/** Queries covering `node` under `prefix` within the limits; a part no query can afford is left out (no client reaches it). */
function split(prefix: Sel[], node: Sel, out: Sel[]): void {
  if (within(wrap(prefix, node))) {
    out.push(wrap(prefix, node))
    return
  }
  const leaves = node.children.filter((c) => c.children.length === 0)
  const branches = node.children.filter((c) => c.children.length > 0)
  if (branches.length === 0) return
  const own = { ...node, children: leaves }
  if (within(wrap(prefix, own))) out.push(wrap(prefix, own))
  for (const branch of branches) split([...prefix, { ...node, children: [] }], branch, out)
}

const sameSelection = (a: Sel, b: Sel) => a.name === b.name && a.on === b.on && a.args === b.args

/** Two selection trees as one (fields selected by both are merged below). */
function merge(a: Sel, b: Sel): Sel {
  const children = [...a.children]
  for (const c of b.children) {
    const i = children.findIndex((x) => sameSelection(x, c))
    if (i < 0) children.push(c)
    else children[i] = merge(children[i], c)
  }
  return { ...a, children }
}

/**
 * The queries that walk `root(args)`: the pieces `split` cuts, packed back together while they fit the limits
 * (in order, so each query stays one neighbourhood of the schema).
 */
export function queriesFor(root: string, args: string): string[] {
  let pieces = walked.get(root)
  if (!pieces) walked.set(root, pieces = walk(root))
  return pieces.map((s) => `{ ${print({ ...s, args: args || undefined })} }`)
}

// the pieces depend on the root field only (not its arguments): walked once for every role and argument set
const walked = new Map<string, Sel[]>()

function walk(root: string): Sel[] {
  const field = schema.getQueryType()!.getFields()[root]
  const top: Sel = { name: root, list: isList(field.type), children: expand(getNamedType(field.type), ['Query'], 1) }
  if (isLeafType(getNamedType(field.type))) top.children = []
  const pieces: Sel[] = []
  split([], top, pieces)
  const packed: Sel[] = []
  for (const piece of pieces) {
    const last = packed.at(-1)
    const joined = last && merge(last, piece)
    if (joined && within(joined)) packed[packed.length - 1] = joined
    else packed.push(piece)
  }
  return packed
}
