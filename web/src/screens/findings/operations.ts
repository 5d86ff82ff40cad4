// The GraphQL operations of «Находки» (the table and a finding's page), typed by graphql-codegen (web/src/gql/).
// Lifecycle actions go through bulk.ts (one document with an alias per finding), built at run time.
import { graphql } from '../../gql/gql.ts'

export const FindingsChoicesQuery = graphql(`
  query FindingsChoices {
    rules { id title { ru } }
    markets { code name }
    groups { code name supportLine }
  }
`)

export const FindingsListQuery = graphql(`
  query FindingsList($filter: FindingFilter, $orderBy: FindingOrder, $first: Int, $last: Int, $after: String, $before: String) {
    findings(filter: $filter, orderBy: $orderBy, first: $first, last: $last, after: $after, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node {
        fingerprint ruleId ruleTitle severity status message marketCode ageText firstSeenAt dueAt supportLine assignee
        incidentCount complaintCount
        group { code name supportLine }
      } }
    }
  }
`)

export const FindingPageQuery = graphql(`
  query FindingPage($fingerprint: String!) {
    finding(fingerprint: $fingerprint) {
      fingerprint ruleId ruleTitle severity status open message marketCode ageText firstSeenAt lastSeenAt resolvedAt
      ackDueAt dueAt supportLine assignee unrouted details
      group { code name supportLine }
      entities { type key node { ...EntityFields } }
      events { id action actor at fromStatus toStatus reason comment data }
      waivers { reason actor expiresAt active }
      incidents { id kind channel externalRef description status createdAt }
    }
  }
`)
