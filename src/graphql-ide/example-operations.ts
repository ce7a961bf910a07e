/** The IDE's first tabs: what a front-end developer tries on day one, in the order they need it. */
export const EXAMPLE_OPERATIONS: { query: string; variables?: string }[] = [
  {
    query: `# 1. Sign in, then put the token into the Headers of the tab you run
#    (GraphiQL keeps headers per tab): { "Authorization": "Bearer <accessToken>" }
mutation Login($input: LoginInput!) {
  login(input: $input) {
    accessToken
    expiresAt
    employee { id fullName role }
  }
}`,
    variables: JSON.stringify({ input: { email: 'admin@domovoy.local', password: '' } }, null, 2),
  },
  {
    query: `# 2. Who am I (needs the Authorization header)
query Me {
  me { id email fullName role crmSpace }
}`,
  },
  {
    query: `# Operator's typeahead: contacts by a part of a phone number or a name
query ContactsByPhone($query: String!) {
  contactsByPhone(query: $query, first: 10) {
    contact { id kind fullName phone }
    addresses { address role }
  }
}`,
    variables: JSON.stringify({ query: '916' }, null, 2),
  },
  {
    query: `# The contact card of a caller's phone (or pass contactId)
query ContactCard($phone: String) {
  contactCard(phone: $phone) {
    contact { id kind fullName phones email }
    addresses { address role building { id address } }
    appStatus
  }
}`,
    variables: JSON.stringify({ phone: '+79161234567' }, null, 2),
  },
  {
    query: `# Live progress of an import (id from POST /imports), over graphql-ws
subscription ImportJobProgress($id: ID!) {
  importJobProgress(id: $id) {
    id status percent processedRows totalRows created updated failed rowsPerSecond
    error { code message }
  }
}`,
    variables: JSON.stringify({ id: '' }, null, 2),
  },
];
