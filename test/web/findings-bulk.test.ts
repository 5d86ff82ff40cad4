// Bulk actions on findings: one mutation document with an alias per finding, read back per finding
// (web/src/screens/findings/bulk.ts).
import { readFileSync } from 'node:fs'
import { buildSchema, parse, validate } from 'graphql'
import { describe, expect, it } from 'vitest'
import { bulkMutation, bulkOutcomes, type Action, type ActionInput } from '../../web/src/screens/findings/bulk.ts'

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'))

describe('bulkMutation', () => {
  it('acknowledges three findings in one document, each under its own alias', () => {
    const { query, variables } = bulkMutation('acknowledge', ['fa', 'fb', 'fc'], {})
    expect(() => parse(query)).not.toThrow()
    expect(query.match(/: acknowledgeFinding\(/g)).toHaveLength(3)
    expect(query.match(/^mutation /gm)).toHaveLength(1)
    expect(query).toContain('f2: acknowledgeFinding(fingerprint: $f2)')
    expect(variables).toEqual({ f0: 'fa', f1: 'fb', f2: 'fc' })
  })

  it('passes the comment of a resolve and the reason and expiry of a waiver once, to every alias', () => {
    const resolve = bulkMutation('resolve', ['fa', 'fb'], { comment: 'Исправлено в CRM' })
    expect(resolve.query).toContain('$comment: String!')
    expect(resolve.query).toContain('f1: resolveFinding(fingerprint: $f1, comment: $comment)')
    expect(resolve.variables.comment).toBe('Исправлено в CRM')
    const waive = bulkMutation('waive', ['fa'], { reason: 'Тестовый стенд', until: '2027-01-31T20:59:59.000Z' })
    expect(() => parse(waive.query)).not.toThrow()
    expect(waive.query).toContain('waiveFinding(fingerprint: $f0, reason: $reason, until: $until)')
    const forGood = bulkMutation('waive', ['fa'], { reason: 'Навсегда' })
    expect(forGood.query).not.toContain('until')
  })

  it('assigns to a group, with a line and an assignee when given', () => {
    const { query, variables } = bulkMutation('assign', ['fa'], { group: 'NSI-L3', line: 3, assignee: 'Петрова' })
    expect(() => parse(query)).not.toThrow()
    expect(query).toContain('assignFinding(fingerprint: $f0, group: $group, line: $line, assignee: $assignee)')
    expect(variables).toMatchObject({ group: 'NSI-L3', line: 3, assignee: 'Петрова' })
  })

  it.each<[Action, ActionInput]>([
    ['acknowledge', {}], ['acknowledge', { reason: 'видел' }], ['start', {}], ['reopen', { reason: 'снова' }], ['resolve', { comment: 'сделано' }],
    ['waive', { reason: 'стенд', until: '2027-01-31T20:59:59.000Z' }], ['waive', { reason: 'навсегда' }],
    ['assign', { group: 'NSI-L3' }], ['assign', { group: 'NSI-L3', line: 2, assignee: 'Петрова', reason: 'по рынку' }], ['comment', { text: 'звонили' }],
  ])('%s %j is a valid document against schema.graphql', (action, input) => {
    const { query } = bulkMutation(action, ['fa', 'fb'], input)
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([])
  })

  it('the check above does refuse a wrong document (a missing required argument, an unknown field)', () => {
    expect(validate(schema, parse('mutation { f0: resolveFinding(fingerprint: "x") { __typename } }'))).not.toEqual([])
    expect(validate(schema, parse('mutation { f0: acknowledgeFinding(fingerprint: "x") { __typename ...on Error { nope } } }'))).not.toEqual([])
  })

  it('refuses an empty selection', () => {
    expect(() => bulkMutation('acknowledge', [], {})).toThrow()
  })
})

describe('bulkOutcomes', () => {
  it('reads each alias: success, a refusal with its message and field problems, a missing answer', () => {
    const data = {
      f0: { __typename: 'MutationAcknowledgeFindingSuccess' },
      f1: { __typename: 'Conflict', code: 'CONFLICT', message: 'Находка уже принята' },
      f2: { __typename: 'ValidationFailed', code: 'VALIDATION', message: 'Неверные данные', problems: [{ field: 'comment', message: 'пусто' }] },
    }
    expect(bulkOutcomes(['a', 'b', 'c', 'd'], data, 'нет ответа')).toEqual([
      { fingerprint: 'a', ok: true },
      { fingerprint: 'b', ok: false, message: 'Находка уже принята' },
      { fingerprint: 'c', ok: false, message: 'Неверные данные', problems: [{ field: 'comment', message: 'пусто' }] },
      { fingerprint: 'd', ok: false, message: 'нет ответа' },
    ])
    expect(bulkOutcomes(['a'], null, 'сервер отказал')).toEqual([{ fingerprint: 'a', ok: false, message: 'сервер отказал' }])
  })
})
