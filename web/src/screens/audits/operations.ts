// The GraphQL operations of «Аудиты и правила»: runs and their progress, starting a run, schedules and mail
// subscriptions, the rule catalogue and its overrides. Typed by graphql-codegen (web/src/gql/).
import { graphql } from '../../gql/gql.ts'

export const AuditRunFieldsFragment = graphql(`
  fragment AuditRunFields on AuditRun {
    id status trigger actor market asOf rules startedAt finishedAt error
    counts { new open resolved reopened }
  }
`)

export const AuditRunsQuery = graphql(`
  query AuditRuns($first: Int!, $filter: AuditRunFilter) {
    auditRuns(first: $first, filter: $filter) { totalCount edges { node { ...AuditRunFields } } }
  }
`)

export const AuditRunQuery = graphql(`
  query AuditRun($id: ID!) {
    auditRun(id: $id) { ...AuditRunFields timings }
  }
`)

/** What the start form and the schedule forms choose from. */
export const AuditChoicesQuery = graphql(`
  query AuditChoices {
    rules { id enabled severity title { ru } }
    markets { code name }
  }
`)

export const RunAuditMutation = graphql(`
  mutation RunAudit($rules: [String!], $market: String, $asOf: Date) {
    runAudit(rules: $rules, market: $market, asOf: $asOf) {
      __typename
      ... on MutationRunAuditSuccess { data { ...AuditRunFields } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const AuditProgressSubscription = graphql(`
  subscription AuditProgress($runId: ID!) {
    auditProgress(runId: $runId) { runId status done total ruleId error counts { new open resolved reopened } }
  }
`)

export const SchedulesQuery = graphql(`
  query Schedules {
    schedules { id name cron timezone marketCode rules enabled nextRunAt lastTickAt lastRun { id status } kind albumPeriod subscription { id name } lastSentAt }
  }
`)

export const MailSubscriptionsQuery = graphql(`
  query MailSubscriptions {
    mailSubscriptions { id name recipients marketCode sendWhenUnchanged active lastSentAt group { code name } }
    groups { code name }
  }
`)

export const CreateScheduleMutation = graphql(`
  mutation CreateSchedule($input: ScheduleInput!) {
    createSchedule(input: $input) {
      __typename
      ... on MutationCreateScheduleSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const UpdateScheduleMutation = graphql(`
  mutation UpdateSchedule($id: Int!, $input: SchedulePatch!) {
    updateSchedule(id: $id, input: $input) {
      __typename
      ... on MutationUpdateScheduleSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const DeleteScheduleMutation = graphql(`
  mutation DeleteSchedule($id: Int!) {
    deleteSchedule(id: $id) {
      __typename
      ... on MutationDeleteScheduleSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const CreateMailSubscriptionMutation = graphql(`
  mutation CreateMailSubscription($input: MailSubscriptionInput!) {
    createMailSubscription(input: $input) {
      __typename
      ... on MutationCreateMailSubscriptionSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const UpdateMailSubscriptionMutation = graphql(`
  mutation UpdateMailSubscription($id: Int!, $input: MailSubscriptionInput!) {
    updateMailSubscription(id: $id, input: $input) {
      __typename
      ... on MutationUpdateMailSubscriptionSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const DeleteMailSubscriptionMutation = graphql(`
  mutation DeleteMailSubscription($id: Int!) {
    deleteMailSubscription(id: $id) {
      __typename
      ... on MutationDeleteMailSubscriptionSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const RulesQuery = graphql(`
  query Rules {
    rules { id kind enabled severity params overridden source title { ru } override { updatedAt updatedBy } }
  }
`)

export const SetRuleOverrideMutation = graphql(`
  mutation SetRuleOverride($ruleId: String!, $enabled: Boolean, $severity: Severity, $params: JSON) {
    setRuleOverride(ruleId: $ruleId, enabled: $enabled, severity: $severity, params: $params) {
      __typename
      ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const ResetRuleOverrideMutation = graphql(`
  mutation ResetRuleOverride($ruleId: String!) {
    resetRuleOverride(ruleId: $ruleId) {
      __typename
      ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const SendAlbumMutation = graphql(`
  mutation SendAlbum($subscriptionId: Int!, $period: AlbumPeriod!, $timezone: String) {
    sendAlbum(subscriptionId: $subscriptionId, period: $period, timezone: $timezone) {
      __typename
      ... on MutationSendAlbumSuccess { data { from to recipients subject } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const RunScheduleMutation = graphql(`
  mutation RunSchedule($id: Int!) {
    runSchedule(id: $id) {
      __typename
      ... on MutationRunScheduleSuccess { data { id } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)
