// What a rule file must say, as zod schemas: the fields every rule has, and the params of its kind
// (from the detector registry). Errors come out as «<field path>: <what was expected>».
import { z } from '../i18n/zod.ts'
import { DETECTORS, CUSTOM_KIND, isBuiltinKind } from './detectors/registry.ts'
import { ENTITY_TYPES } from '../records/model.ts'
import { SEVERITIES } from './types.ts'
import { RULE_FILE_RU } from '../i18n/ru-errors.ts'

const text = z.string().trim().min(1)

export const ruleCommonSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: RULE_FILE_RU.badId }),
  title: z.strictObject({ ru: text, en: text }),
  // rule files may spell it as the SPEC does («high») or as the enum («HIGH»)
  severity: z.preprocess((v) => typeof v === 'string' ? v.trim().toUpperCase() : v, z.enum(SEVERITIES as [string, ...string[]])),
  reads: z.array(z.enum(ENTITY_TYPES as [string, ...string[]])).min(1),
  kind: z.string().min(1),
  params: z.unknown().optional(),
  message: z.strictObject({ ru: text, en: text }),
  routing: z.strictObject({
    line: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    group: z.string().min(1).optional(),
  }).optional(),
  enabled: z.boolean().default(true),
  description: z.string().optional(),
})
export type RuleCommon = z.output<typeof ruleCommonSchema>

/** The params schema of a built-in kind; undefined for an unknown kind. */
export function kindParamsSchema(kind: string): z.ZodType | undefined {
  return isBuiltinKind(kind) ? DETECTORS[kind].params : undefined
}

export const KNOWN_KINDS = [...Object.keys(DETECTORS), CUSTOM_KIND]

/** Zod issues as «path: message» lines, the path prefixed (e.g. «params.»). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)].join('.')
    const at = path === '' ? '' : `${path}: `
    switch (issue.code) {
      case 'invalid_value':
        return [`${at}${issue.values.length === 1 ? RULE_FILE_RU.expected(JSON.stringify(issue.values[0])) : RULE_FILE_RU.oneOf(issue.values.map(String))}`]
      case 'invalid_type':
        return [`${at}${issue.input === undefined ? RULE_FILE_RU.required : RULE_FILE_RU.expectedType(issue.expected)}`]
      case 'unrecognized_keys':
        return issue.keys.map((k) => `${path === '' ? '' : `${path}.`}${k}: ${RULE_FILE_RU.unknownKey}`)
      case 'invalid_union': {
        const options = (issue as { options?: unknown[] }).options
        return [`${at}${options ? RULE_FILE_RU.oneOf(options.map(String)) : issue.message}`]
      }
      default:
        return [`${at}${issue.message}`]
    }
  })
}
