// The GraphQL operations of «Находки» (the table and a finding's page), typed by graphql-codegen (web/src/gql/).
// Lifecycle actions go through bulk.ts (one document with an alias per finding), built at run time.
import { graphql } from '../../gql/gql.ts'

export const FindingsChoicesQuery = graphql(`
  query FindingsChoices {
    rules { id kind title { ru } }
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
      id fingerprint ruleId ruleTitle severity status open message marketCode ageText firstSeenAt lastSeenAt resolvedAt
      ackDueAt dueAt supportLine assignee unrouted details
      group { code name supportLine }
      entities { type key node { ...EntityFields } }
      events { id action actor at fromStatus toStatus reason comment data }
      waivers { reason actor expiresAt active }
      incidents { id kind channel externalRef description status createdAt }
      distinctMarks { ...DistinctMarkFields }
    }
  }
`)

// ─── merging duplicates and «Не дубликат» (merge.ts, MergePanel.tsx, Distinct.tsx) ───

export const MergeFindingFragment = graphql(`
  fragment MergeFinding on Finding { fingerprint ruleId ruleTitle severity status message }
`)

export const PreviewMergeQuery = graphql(`
  query PreviewMerge($input: MergeInput!) {
    previewMerge(input: $input) {
      type survivor proposed reason version
      members { key values filled contracts devices incidents createdAt }
      fields { field from value differs options { key value } }
      moves { type key field from }
      resolving { ...MergeFinding }
      appearing { fingerprint ruleId severity message entities { type key } }
    }
  }
`)

export const RecordMergeFragment = graphql(`
  fragment RecordMergeFields on RecordMerge {
    id type survivor members actor at undoneAt undoneBy undoable
    moves { type key field from }
    finding { fingerprint }
  }
`)

export const MergeRecordsMutation = graphql(`
  mutation MergeRecords($input: MergeInput!) {
    mergeRecords(input: $input) {
      __typename
      ... on MergeDone { recheckQueued merge { ...RecordMergeFields } resolved { ...MergeFinding } caused { ...MergeFinding } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const UnmergeRecordsMutation = graphql(`
  mutation UnmergeRecords($id: ID!) {
    unmergeRecords(id: $id) {
      __typename
      ... on MergeDone { recheckQueued merge { ...RecordMergeFields } resolved { ...MergeFinding } caused { ...MergeFinding } }
      ... on Error { message }
    }
  }
`)

export const MergeStateQuery = graphql(`
  query MergeState($id: ID!) {
    merge(id: $id) { ...RecordMergeFields }
  }
`)

export const DistinctMarkFragment = graphql(`
  fragment DistinctMarkFields on DistinctMark { id type keys reason actor createdAt removedAt removedBy removeReason }
`)

export const MarkDistinctMutation = graphql(`
  mutation MarkDistinct($input: MarkDistinctInput!) {
    markDistinct(input: $input) {
      __typename
      ... on MarkDistinctDone { marks { ...DistinctMarkFields } resolved { ...MergeFinding } caused { ...MergeFinding } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const RemoveDistinctMarkMutation = graphql(`
  mutation RemoveDistinctMark($id: ID!, $reason: String) {
    removeDistinctMark(id: $id, reason: $reason) {
      __typename
      ... on RemoveDistinctMarkDone { mark { ...DistinctMarkFields } resolved { ...MergeFinding } caused { ...MergeFinding } }
      ... on Error { message }
    }
  }
`)
