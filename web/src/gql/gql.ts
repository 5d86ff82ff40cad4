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
};
const documents: Documents = {
    "\n  query Me {\n    me { name role markets permissions }\n  }\n": types.MeDocument,
    "\n  query Search($text: String!) {\n    search(text: $text, first: 10) { type key label matchedBy score }\n  }\n": types.SearchDocument,
    "\n  fragment EntityFields on Entity {\n    __typename\n    ... on Address { code text region city street house building structure apartment postalCode }\n    ... on Customer { code name kind phone email inn }\n    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }\n    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }\n  }\n": types.EntityFieldsFragmentDoc,
    "\n  query Card($type: EntityType!, $key: String!) {\n    conflicts(for: { type: $type, key: $key }) {\n      count\n      highestSeverity\n      subject { type key node { ...EntityFields } }\n      neighbours { type key node { ...EntityFields } }\n      findings {\n        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode\n        group { code name supportLine }\n        incidents { id kind channel externalRef description status createdAt }\n      }\n    }\n  }\n": types.CardDocument,
    "\n  mutation RegisterIncident($input: IncidentInput!) {\n    registerIncident(input: $input) {\n      __typename\n      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RegisterIncidentDocument,
    "\n  mutation RegisterComplaint($input: IncidentInput!) {\n    registerComplaint(input: $input) {\n      __typename\n      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }\n      ... on ValidationFailed { message problems { field message } }\n      ... on Conflict { message }\n      ... on NotFound { message }\n    }\n  }\n": types.RegisterComplaintDocument,
    "\n  fragment IntakeFields on IntakeResult {\n    id created\n    incident { id kind externalRef }\n    links { fingerprint }\n    unresolved { field reason value }\n  }\n": types.IntakeFieldsFragmentDoc,
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;