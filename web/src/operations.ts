// Every GraphQL operation the console sends, typed by graphql-codegen from schema.graphql (web/src/gql/).
import { graphql } from './gql/gql.ts'

export const MeQuery = graphql(`
  query Me {
    me { name role markets permissions }
  }
`)

export const SearchQuery = graphql(`
  query Search($text: String!) {
    search(text: $text, first: 10) { type key label matchedBy score }
  }
`)

export const EntityFieldsFragment = graphql(`
  fragment EntityFields on Entity {
    __typename
    ... on Address { code text region city street house building structure apartment postalCode }
    ... on Customer { code name kind phone email inn }
    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { name } }
    ... on Equipment { inventoryNo serial macDisplay equipmentStatus: status installedAt removedAt product { name } }
  }
`)

/** The card: the record, its neighbourhood and every open finding around it with its incidents — one request. */
export const CardQuery = graphql(`
  query Card($type: EntityType!, $key: String!) {
    conflicts(for: { type: $type, key: $key }) {
      count
      highestSeverity
      subject { type key node { ...EntityFields } }
      neighbours { type key node { ...EntityFields } }
      findings {
        fingerprint ruleId ruleTitle severity status message ageText firstSeenAt supportLine marketCode
        group { code name supportLine }
        incidents { id kind channel externalRef description status createdAt }
      }
    }
  }
`)

export const RegisterIncidentMutation = graphql(`
  mutation RegisterIncident($input: IncidentInput!) {
    registerIncident(input: $input) {
      __typename
      ... on MutationRegisterIncidentSuccess { data { ...IntakeFields } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const RegisterComplaintMutation = graphql(`
  mutation RegisterComplaint($input: IncidentInput!) {
    registerComplaint(input: $input) {
      __typename
      ... on MutationRegisterComplaintSuccess { data { ...IntakeFields } }
      ... on ValidationFailed { message problems { field message } }
      ... on Conflict { message }
      ... on NotFound { message }
    }
  }
`)

export const IntakeFieldsFragment = graphql(`
  fragment IntakeFields on IntakeResult {
    id created
    incident { id kind externalRef }
    links { fingerprint }
    unresolved { field reason value }
  }
`)
