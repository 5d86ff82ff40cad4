// The GraphQL operations of a record's page: the record with its open findings around it, the check before
// saving (checkConflicts) and the update mutations, typed by graphql-codegen (web/src/gql/).
import { graphql } from '../../gql/gql.ts'

export const RecordFieldsFragment = graphql(`
  fragment RecordFields on Entity {
    __typename
    ... on Address { code text region city street house building apartment postalCode }
    ... on Customer { code name kind phone email inn }
    ... on Contract { number contractStatus: status validFrom validTo market { code name } contractProduct: product { sku name }
      contractAddress: address { code } customer { code } }
    ... on Equipment { inventoryNo serial mac macDisplay equipmentStatus: status installedAt removedAt product { sku name }
      contract { number } equipmentAddress: address { code } }
  }
`)

export const RecordPageQuery = graphql(`
  query RecordPage($type: EntityType!, $key: String!) {
    conflicts(for: { type: $type, key: $key }) {
      count
      subject { type key node { ...RecordFields } }
      neighbours { type key node { ...EntityFields } }
      findings { fingerprint ruleId ruleTitle severity status message ageText }
    }
  }
`)

export const CheckConflictsQuery = graphql(`
  query CheckRecord($input: CandidateInput!) {
    checkConflicts(input: $input) {
      __typename
      ... on QueryCheckConflictsSuccess { data { findings { ...Change } } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const ChangeFragment = graphql(`
  fragment Change on FindingChange { fingerprint ruleId severity status message entities { type key } }
`)

export const UpdateEquipmentMutation = graphql(`
  mutation UpdateEquipment($key: String!, $input: UpdateEquipmentInput!) {
    updateEquipment(key: $key, input: $input) {
      __typename
      ... on MutationUpdateEquipmentSuccess { data { recheckQueued findingsCaused { ...Change } findingsResolved { ...Change } } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const UpdateAddressMutation = graphql(`
  mutation UpdateAddress($key: String!, $input: UpdateAddressInput!) {
    updateAddress(key: $key, input: $input) {
      __typename
      ... on MutationUpdateAddressSuccess { data { recheckQueued findingsCaused { ...Change } findingsResolved { ...Change } } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const UpdateCustomerMutation = graphql(`
  mutation UpdateCustomer($key: String!, $input: UpdateCustomerInput!) {
    updateCustomer(key: $key, input: $input) {
      __typename
      ... on MutationUpdateCustomerSuccess { data { recheckQueued findingsCaused { ...Change } findingsResolved { ...Change } } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

export const UpdateContractMutation = graphql(`
  mutation UpdateContract($key: String!, $input: UpdateContractInput!) {
    updateContract(key: $key, input: $input) {
      __typename
      ... on MutationUpdateContractSuccess { data { recheckQueued findingsCaused { ...Change } findingsResolved { ...Change } } }
      ... on ValidationFailed { message problems { field message } }
      ... on Error { message }
    }
  }
`)

/** A survivor's former keys (aliases) and the merges that made it (each with its undo), for addresses and customers. */
export const RecordMergesQuery = graphql(`
  query RecordMerges($key: String!, $address: Boolean!, $customer: Boolean!) {
    address(code: $key) @include(if: $address) { code aliases merges { ...RecordMergeFields } }
    customer(code: $key) @include(if: $customer) { code aliases merges { ...RecordMergeFields } }
  }
`)
