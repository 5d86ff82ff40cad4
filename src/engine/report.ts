// Renders an audit's result for people and programs: the SPEC's JSON report, a terminal table, and
// a CSV that Excel opens as UTF-8. Rendering reads the result only; it knows no database and no terminal.
import { csvText } from '../csv.ts'
import type { AuditResult } from './audit.ts'
import type { ReportFinding } from './findings.ts'
import { reportSeverity, SEVERITIES } from './types.ts'
import type { EntityRef } from '../records/model.ts'
import { CLI_RU } from '../i18n/ru-cli.ts'
import { FINDING_STATUS_RU, severityRu } from '../i18n/ru.ts'

export const REPORT_FORMATS = ['table', 'json', 'csv'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export function renderReport(result: AuditResult, format: ReportFormat): string {
  switch (format) {
    case 'json': return renderJson(result)
    case 'csv': return renderCsv(result)
    case 'table': return renderTable(result)
  }
}

/** Exactly the SPEC's «Audit report» shape: the keys are picked, never spread, so nothing else leaks in. */
export function reportJson(result: AuditResult) {
  const { run } = result
  return {
    run: {
      id: run.id, asOf: run.asOf, startedAt: run.startedAt, finishedAt: run.finishedAt, rules: run.rules,
      // the SPEC names three counts; `reopened` stays in the run record and the table format
      counts: { new: run.counts.new, open: run.counts.open, resolved: run.counts.resolved },
    },
    findings: result.findings.map((f) => ({
      fingerprint: f.fingerprint, ruleId: f.ruleId, severity: reportSeverity(f.severity), status: f.status, message: f.message,
      entities: f.entities.map((e) => ({ type: e.type, key: e.key })), details: f.details ?? {},
    })),
  }
}

function renderJson(result: AuditResult) {
  return `${JSON.stringify(reportJson(result), null, 2)}\n`
}

const entityList = (entities: EntityRef[], sep: string) => entities.map((e) => `${e.type}:${e.key}`).join(sep)

// BOM and CRLF: Excel then reads the Cyrillic as UTF-8 instead of the system's code page; the writer
// keeps keys and messages from becoming formulas, also where Excel splits this `,` file on `;`
function renderCsv(result: AuditResult) {
  return csvText(
    result.findings.map((f) => [f.fingerprint, f.ruleId, reportSeverity(f.severity), f.status, entityList(f.entities, ';'), f.message]),
    { delimiter: ',', recordDelimiter: '\r\n', bom: true, header: ['fingerprint', 'rule', 'severity', 'status', 'entities', 'message'] },
  )
}

function renderTable(result: AuditResult) {
  const { run, findings } = result
  const seconds = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000
  const lines = [
    CLI_RU.auditHead(run.id, run.asOf, run.rules.length, seconds.toFixed(1)),
    CLI_RU.auditCounts(run.counts),
  ]
  if (findings.length === 0) return [...lines, '', CLI_RU.auditNoFindings, ''].join('\n')
  const statusWidth = Math.max(...findings.map((f) => statusRu(f.status).length))
  const ruleWidth = Math.max(...findings.map((f) => f.ruleId.length))
  for (const severity of SEVERITIES) {
    const group = findings.filter((f) => f.severity === severity)
    if (group.length === 0) continue
    lines.push('', `${severityRu(severity).toUpperCase()} (${group.length})`)
    for (const f of group) lines.push(...tableRow(f, statusWidth, ruleWidth))
  }
  return `${lines.join('\n')}\n`
}

const statusRu = (status: string) => FINDING_STATUS_RU[status] ?? status

function tableRow(f: ReportFinding, statusWidth: number, ruleWidth: number) {
  const head = `  ${statusRu(f.status).padEnd(statusWidth)}  ${f.ruleId.padEnd(ruleWidth)}  ${entityList(f.entities, ', ')}`
  const indent = ' '.repeat(2 + statusWidth + 2)
  return [head, `${indent}${f.message}  [${f.fingerprint.slice(0, 12)}]`]
}
