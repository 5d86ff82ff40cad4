/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me { name role markets permissions }\n  }\n": typeof types.MeDocument,
    "\n  query Search($text: String!) {\n    search(text: $text, first: 10) { type key label matchedBy score }\n  }\n": typeof types.SearchDocument,
    "\n  fragment EntityFields on Entity {\n    __typename\n    ... on Address { code text region city street house building structure apartment postalCode }\n    ... on Customer { code name kind phone email inn }\n    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }\n    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }\n  }\n": typeof types.EntityFieldsFragmentDoc,
    "\n  query Card($type: EntityType!, $key: String!) {\n    conflicts(for: { type: $type, key: $key }) {\n      count\n      highestSeverity\n      subject { type key node { ...EntityFields } }\n      neighbours { type key node { ...EntityFields } }\n      findings {\n        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode\n        group { code name supportLine }\n        incidents { id kind channel externalRef description status createdAt }\n      }\n    }\n  }\n": typeof types.CardDocument,
    "\n  mutation RegisterIncident($input: IncidentInput!) {\n    registerIncident(input: $input) {\n      __typename\n      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.RegisterIncidentDocument,
    "\n  mutation RegisterComplaint($input: IncidentInput!) {\n    registerComplaint(input: $input) {\n      __typename\n      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.RegisterComplaintDocument,
    "\n  fragment IntakeFields on IntakeResult {\n    id created\n    incident { id kind externalRef }\n    links { fingerprint }\n    unresolved { field reason value }\n  }\n": typeof types.IntakeFieldsFragmentDoc,
    "\n  fragment AuditRunFields on AuditRun {\n    id status trigger actor market asOf rules startedAt finishedAt error\n    counts { new open resolved reopened }\n  }\n": typeof types.AuditRunFieldsFragmentDoc,
    "\n  query AuditRuns($first: Int!, $filter: AuditRunFilter) {\n    auditRuns(first: $first, filter: $filter) { totalCount edges { node { ...AuditRunFields } } }\n  }\n": typeof types.AuditRunsDocument,
    "\n  query AuditRun($id: ID!) {\n    auditRun(id: $id) { ...AuditRunFields timings }\n  }\n": typeof types.AuditRunDocument,
    "\n  query AuditChoices {\n    rules { id enabled severity title { ru } }\n    markets { code name }\n  }\n": typeof types.AuditChoicesDocument,
    "\n  mutation RunAudit($rules: [String!], $market: String, $asOf: Date) {\n    runAudit(rules: $rules, market: $market, asOf: $asOf) {\n      __typename\n      ... on MutationRunAuditSuccess { data { ...AuditRunFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.RunAuditDocument,
    "\n  subscription AuditProgress($runId: ID!) {\n    auditProgress(runId: $runId) { runId status done total ruleId error counts { new open resolved reopened } }\n  }\n": typeof types.AuditProgressDocument,
    "\n  query Schedules {\n    schedules { id name cron timezone marketCode rules enabled nextRunAt lastTickAt lastRun { id status } }\n  }\n": typeof types.SchedulesDocument,
    "\n  query MailSubscriptions {\n    mailSubscriptions { id name recipients marketCode sendWhenUnchanged active lastSentAt group { code name } }\n    groups { code name }\n  }\n": typeof types.MailSubscriptionsDocument,
    "\n  mutation CreateSchedule($input: ScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on MutationCreateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.CreateScheduleDocument,
    "\n  mutation UpdateSchedule($id: Int!, $input: SchedulePatch!) {\n    updateSchedule(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.UpdateScheduleDocument,
    "\n  mutation DeleteSchedule($id: Int!) {\n    deleteSchedule(id: $id) {\n      __typename\n      ... on MutationDeleteScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.DeleteScheduleDocument,
    "\n  mutation CreateMailSubscription($input: MailSubscriptionInput!) {\n    createMailSubscription(input: $input) {\n      __typename\n      ... on MutationCreateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.CreateMailSubscriptionDocument,
    "\n  mutation UpdateMailSubscription($id: Int!, $input: MailSubscriptionInput!) {\n    updateMailSubscription(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.UpdateMailSubscriptionDocument,
    "\n  mutation DeleteMailSubscription($id: Int!) {\n    deleteMailSubscription(id: $id) {\n      __typename\n      ... on MutationDeleteMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.DeleteMailSubscriptionDocument,
    "\n  query Rules {\n    rules { id kind enabled severity params overridden source title { ru } override { updatedAt updatedBy } }\n  }\n": typeof types.RulesDocument,
    "\n  mutation SetRuleOverride($ruleId: String!, $enabled: Boolean, $severity: Severity, $params: JSON) {\n    setRuleOverride(ruleId: $ruleId, enabled: $enabled, severity: $severity, params: $params) {\n      __typename\n      ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.SetRuleOverrideDocument,
    "\n  mutation ResetRuleOverride($ruleId: String!) {\n    resetRuleOverride(ruleId: $ruleId) {\n      __typename\n      ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.ResetRuleOverrideDocument,
    "\n  mutation RunSchedule($id: Int!) {\n    runSchedule(id: $id) {\n      __typename\n      ... on MutationRunScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": typeof types.RunScheduleDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me { name role markets permissions }\n  }\n": types.MeDocument,
    "\n  query Search($text: String!) {\n    search(text: $text, first: 10) { type key label matchedBy score }\n  }\n": types.SearchDocument,
    "\n  fragment EntityFields on Entity {\n    __typename\n    ... on Address { code text region city street house building structure apartment postalCode }\n    ... on Customer { code name kind phone email inn }\n    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }\n    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }\n  }\n": types.EntityFieldsFragmentDoc,
    "\n  query Card($type: EntityType!, $key: String!) {\n    conflicts(for: { type: $type, key: $key }) {\n      count\n      highestSeverity\n      subject { type key node { ...EntityFields } }\n      neighbours { type key node { ...EntityFields } }\n      findings {\n        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode\n        group { code name supportLine }\n        incidents { id kind channel externalRef description status createdAt }\n      }\n    }\n  }\n": types.CardDocument,
    "\n  mutation RegisterIncident($input: IncidentInput!) {\n    registerIncident(input: $input) {\n      __typename\n      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RegisterIncidentDocument,
    "\n  mutation RegisterComplaint($input: IncidentInput!) {\n    registerComplaint(input: $input) {\n      __typename\n      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RegisterComplaintDocument,
    "\n  fragment IntakeFields on IntakeResult {\n    id created\n    incident { id kind externalRef }\n    links { fingerprint }\n    unresolved { field reason value }\n  }\n": types.IntakeFieldsFragmentDoc,
    "\n  fragment AuditRunFields on AuditRun {\n    id status trigger actor market asOf rules startedAt finishedAt error\n    counts { new open resolved reopened }\n  }\n": types.AuditRunFieldsFragmentDoc,
    "\n  query AuditRuns($first: Int!, $filter: AuditRunFilter) {\n    auditRuns(first: $first, filter: $filter) { totalCount edges { node { ...AuditRunFields } } }\n  }\n": types.AuditRunsDocument,
    "\n  query AuditRun($id: ID!) {\n    auditRun(id: $id) { ...AuditRunFields timings }\n  }\n": types.AuditRunDocument,
    "\n  query AuditChoices {\n    rules { id enabled severity title { ru } }\n    markets { code name }\n  }\n": types.AuditChoicesDocument,
    "\n  mutation RunAudit($rules: [String!], $market: String, $asOf: Date) {\n    runAudit(rules: $rules, market: $market, asOf: $asOf) {\n      __typename\n      ... on MutationRunAuditSuccess { data { ...AuditRunFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RunAuditDocument,
    "\n  subscription AuditProgress($runId: ID!) {\n    auditProgress(runId: $runId) { runId status done total ruleId error counts { new open resolved reopened } }\n  }\n": types.AuditProgressDocument,
    "\n  query Schedules {\n    schedules { id name cron timezone marketCode rules enabled nextRunAt lastTickAt lastRun { id status } }\n  }\n": types.SchedulesDocument,
    "\n  query MailSubscriptions {\n    mailSubscriptions { id name recipients marketCode sendWhenUnchanged active lastSentAt group { code name } }\n    groups { code name }\n  }\n": types.MailSubscriptionsDocument,
    "\n  mutation CreateSchedule($input: ScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on MutationCreateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.CreateScheduleDocument,
    "\n  mutation UpdateSchedule($id: Int!, $input: SchedulePatch!) {\n    updateSchedule(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.UpdateScheduleDocument,
    "\n  mutation DeleteSchedule($id: Int!) {\n    deleteSchedule(id: $id) {\n      __typename\n      ... on MutationDeleteScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.DeleteScheduleDocument,
    "\n  mutation CreateMailSubscription($input: MailSubscriptionInput!) {\n    createMailSubscription(input: $input) {\n      __typename\n      ... on MutationCreateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.CreateMailSubscriptionDocument,
    "\n  mutation UpdateMailSubscription($id: Int!, $input: MailSubscriptionInput!) {\n    updateMailSubscription(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.UpdateMailSubscriptionDocument,
    "\n  mutation DeleteMailSubscription($id: Int!) {\n    deleteMailSubscription(id: $id) {\n      __typename\n      ... on MutationDeleteMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.DeleteMailSubscriptionDocument,
    "\n  query Rules {\n    rules { id kind enabled severity params overridden source title { ru } override { updatedAt updatedBy } }\n  }\n": types.RulesDocument,
    "\n  mutation SetRuleOverride($ruleId: String!, $enabled: Boolean, $severity: Severity, $params: JSON) {\n    setRuleOverride(ruleId: $ruleId, enabled: $enabled, severity: $severity, params: $params) {\n      __typename\n      ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.SetRuleOverrideDocument,
    "\n  mutation ResetRuleOverride($ruleId: String!) {\n    resetRuleOverride(ruleId: $ruleId) {\n      __typename\n      ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.ResetRuleOverrideDocument,
    "\n  mutation RunSchedule($id: Int!) {\n    runSchedule(id: $id) {\n      __typename\n      ... on MutationRunScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RunScheduleDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me { name role markets permissions }\n  }\n"): (typeof documents)["\n  query Me {\n    me { name role markets permissions }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search($text: String!) {\n    search(text: $text, first: 10) { type key label matchedBy score }\n  }\n"): (typeof documents)["\n  query Search($text: String!) {\n    search(text: $text, first: 10) { type key label matchedBy score }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EntityFields on Entity {\n    __typename\n    ... on Address { code text region city street house building structure apartment postalCode }\n    ... on Customer { code name kind phone email inn }\n    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }\n    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }\n  }\n"): (typeof documents)["\n  fragment EntityFields on Entity {\n    __typename\n    ... on Address { code text region city street house building structure apartment postalCode }\n    ... on Customer { code name kind phone email inn }\n    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }\n    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Card($type: EntityType!, $key: String!) {\n    conflicts(for: { type: $type, key: $key }) {\n      count\n      highestSeverity\n      subject { type key node { ...EntityFields } }\n      neighbours { type key node { ...EntityFields } }\n      findings {\n        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode\n        group { code name supportLine }\n        incidents { id kind channel externalRef description status createdAt }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Card($type: EntityType!, $key: String!) {\n    conflicts(for: { type: $type, key: $key }) {\n      count\n      highestSeverity\n      subject { type key node { ...EntityFields } }\n      neighbours { type key node { ...EntityFields } }\n      findings {\n        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode\n        group { code name supportLine }\n        incidents { id kind channel externalRef description status createdAt }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterIncident($input: IncidentInput!) {\n    registerIncident(input: $input) {\n      __typename\n      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterIncident($input: IncidentInput!) {\n    registerIncident(input: $input) {\n      __typename\n      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterComplaint($input: IncidentInput!) {\n    registerComplaint(input: $input) {\n      __typename\n      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterComplaint($input: IncidentInput!) {\n    registerComplaint(input: $input) {\n      __typename\n      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IntakeFields on IntakeResult {\n    id created\n    incident { id kind externalRef }\n    links { fingerprint }\n    unresolved { field reason value }\n  }\n"): (typeof documents)["\n  fragment IntakeFields on IntakeResult {\n    id created\n    incident { id kind externalRef }\n    links { fingerprint }\n    unresolved { field reason value }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditRunFields on AuditRun {\n    id status trigger actor market asOf rules startedAt finishedAt error\n    counts { new open resolved reopened }\n  }\n"): (typeof documents)["\n  fragment AuditRunFields on AuditRun {\n    id status trigger actor market asOf rules startedAt finishedAt error\n    counts { new open resolved reopened }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditRuns($first: Int!, $filter: AuditRunFilter) {\n    auditRuns(first: $first, filter: $filter) { totalCount edges { node { ...AuditRunFields } } }\n  }\n"): (typeof documents)["\n  query AuditRuns($first: Int!, $filter: AuditRunFilter) {\n    auditRuns(first: $first, filter: $filter) { totalCount edges { node { ...AuditRunFields } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditRun($id: ID!) {\n    auditRun(id: $id) { ...AuditRunFields timings }\n  }\n"): (typeof documents)["\n  query AuditRun($id: ID!) {\n    auditRun(id: $id) { ...AuditRunFields timings }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditChoices {\n    rules { id enabled severity title { ru } }\n    markets { code name }\n  }\n"): (typeof documents)["\n  query AuditChoices {\n    rules { id enabled severity title { ru } }\n    markets { code name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunAudit($rules: [String!], $market: String, $asOf: Date) {\n    runAudit(rules: $rules, market: $market, asOf: $asOf) {\n      __typename\n      ... on MutationRunAuditSuccess { data { ...AuditRunFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RunAudit($rules: [String!], $market: String, $asOf: Date) {\n    runAudit(rules: $rules, market: $market, asOf: $asOf) {\n      __typename\n      ... on MutationRunAuditSuccess { data { ...AuditRunFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditProgress($runId: ID!) {\n    auditProgress(runId: $runId) { runId status done total ruleId error counts { new open resolved reopened } }\n  }\n"): (typeof documents)["\n  subscription AuditProgress($runId: ID!) {\n    auditProgress(runId: $runId) { runId status done total ruleId error counts { new open resolved reopened } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Schedules {\n    schedules { id name cron timezone marketCode rules enabled nextRunAt lastTickAt lastRun { id status } }\n  }\n"): (typeof documents)["\n  query Schedules {\n    schedules { id name cron timezone marketCode rules enabled nextRunAt lastTickAt lastRun { id status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MailSubscriptions {\n    mailSubscriptions { id name recipients marketCode sendWhenUnchanged active lastSentAt group { code name } }\n    groups { code name }\n  }\n"): (typeof documents)["\n  query MailSubscriptions {\n    mailSubscriptions { id name recipients marketCode sendWhenUnchanged active lastSentAt group { code name } }\n    groups { code name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSchedule($input: ScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on MutationCreateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSchedule($input: ScheduleInput!) {\n    createSchedule(input: $input) {\n      __typename\n      ... on MutationCreateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSchedule($id: Int!, $input: SchedulePatch!) {\n    updateSchedule(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSchedule($id: Int!, $input: SchedulePatch!) {\n    updateSchedule(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSchedule($id: Int!) {\n    deleteSchedule(id: $id) {\n      __typename\n      ... on MutationDeleteScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteSchedule($id: Int!) {\n    deleteSchedule(id: $id) {\n      __typename\n      ... on MutationDeleteScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateMailSubscription($input: MailSubscriptionInput!) {\n    createMailSubscription(input: $input) {\n      __typename\n      ... on MutationCreateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateMailSubscription($input: MailSubscriptionInput!) {\n    createMailSubscription(input: $input) {\n      __typename\n      ... on MutationCreateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMailSubscription($id: Int!, $input: MailSubscriptionInput!) {\n    updateMailSubscription(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMailSubscription($id: Int!, $input: MailSubscriptionInput!) {\n    updateMailSubscription(id: $id, input: $input) {\n      __typename\n      ... on MutationUpdateMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteMailSubscription($id: Int!) {\n    deleteMailSubscription(id: $id) {\n      __typename\n      ... on MutationDeleteMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteMailSubscription($id: Int!) {\n    deleteMailSubscription(id: $id) {\n      __typename\n      ... on MutationDeleteMailSubscriptionSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Rules {\n    rules { id kind enabled severity params overridden source title { ru } override { updatedAt updatedBy } }\n  }\n"): (typeof documents)["\n  query Rules {\n    rules { id kind enabled severity params overridden source title { ru } override { updatedAt updatedBy } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRuleOverride($ruleId: String!, $enabled: Boolean, $severity: Severity, $params: JSON) {\n    setRuleOverride(ruleId: $ruleId, enabled: $enabled, severity: $severity, params: $params) {\n      __typename\n      ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation SetRuleOverride($ruleId: String!, $enabled: Boolean, $severity: Severity, $params: JSON) {\n    setRuleOverride(ruleId: $ruleId, enabled: $enabled, severity: $severity, params: $params) {\n      __typename\n      ... on MutationSetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetRuleOverride($ruleId: String!) {\n    resetRuleOverride(ruleId: $ruleId) {\n      __typename\n      ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ResetRuleOverride($ruleId: String!) {\n    resetRuleOverride(ruleId: $ruleId) {\n      __typename\n      ... on MutationResetRuleOverrideSuccess { data { id enabled severity params overridden } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunSchedule($id: Int!) {\n    runSchedule(id: $id) {\n      __typename\n      ... on MutationRunScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"): (typeof documents)["\n  mutation RunSchedule($id: Int!) {\n    runSchedule(id: $id) {\n      __typename\n      ... on MutationRunScheduleSuccess { data { id } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;