// The GraphQL operations of «Альбом отчётов», typed by graphql-codegen (web/src/gql/): one query a report, so each
// loads and fails on its own.
import { graphql } from '../../gql/gql.ts'

/** Names for the codes the reports give: rules and groups (markets go by their codes, as in «Находки»). */
export const AlbumNamesQuery = graphql(`
  query AlbumNames {
    rules { id title { ru } }
    groups { code name }
  }
`)

export const HotspotsReportQuery = graphql(`
  query HotspotsReport($since: DateTime, $until: DateTime) {
    reports {
      incidentHotspots(since: $since, until: $until, top: 20) {
        byRule { key incidents complaints total findings }
        byMarket { key incidents complaints total findings }
      }
    }
  }
`)

export const SlaReportQuery = graphql(`
  query SlaReport {
    reports {
      slaBreaches(limit: 100) {
        total
        breaches { fingerprint ruleId severity status message marketCode group line acknowledgeLateSeconds resolveLateSeconds lateSeconds }
      }
    }
  }
`)

export const MatrixReportQuery = graphql(`
  query MatrixReport {
    reports { findingsMatrix { ruleId market critical high medium low total } }
  }
`)

export const AgingReportQuery = graphql(`
  query AgingReport($by: AgingBy) {
    reports { aging(by: $by) { key name under1Day days1to7 days7to30 over30Days total } }
  }
`)

export const BottlenecksReportQuery = graphql(`
  query BottlenecksReport($since: DateTime, $until: DateTime) {
    reports {
      bottlenecks(since: $since, until: $until) {
        group groupName line received acknowledgedInTime resolvedInTime
        acknowledge { count medianSeconds p90Seconds } resolve { count medianSeconds p90Seconds } overdue worst
      }
    }
  }
`)

export const QualityReportQuery = graphql(`
  query QualityReport($from: DateTime, $to: DateTime) {
    reports {
      qualityScores(from: $from, to: $to) {
        runId asOf finishedAt records clean flagged score
        markets { market marketName records clean flagged score entityTypes { entityType records clean flagged score } }
      }
    }
  }
`)
