import { GraphqlResult, TestApp, TestOrganization } from '../support/test-app';
import { Subscription, wsClient } from '../support/ws-subscription';

/** What organization A owns; organization B's admin probes every operation with these ids. */
export interface Fixture {
  buildingId: string;
  premisesId: string;
  employeeId: string;
  categoryId: string;
  clientId: string;
  tagId: string;
  externalIdId: string;
  accountId: string;
  registrationRequestId: string;
  ticketId: string;
  callerId: string;
  importJobId: string;
}

export type Probe =
  /** Called with A's ids by B: must answer NOT_FOUND. */
  | { kind: 'foreign-id'; run: (b: string, a: Fixture) => Promise<GraphqlResult> }
  /** A list read by B: none of A's ids may appear. */
  | { kind: 'list'; run: (b: string) => Promise<GraphqlResult>; ids: (result: GraphqlResult) => string[] }
  /** Acts only on the caller (me, logout, login): checked to return the caller's own data. */
  | { kind: 'own'; run: (b: string, org: TestOrganization) => Promise<void> };

/** Probes that name A's ids inside a list query read them from here once the fixture exists. */
export const fixtureRef: { current?: Fixture } = {};

/** The first result of a subscription over graphql-ws (the refusal, for a foreign id). */
export async function firstOfSubscription(app: TestApp, token: string, query: string): Promise<GraphqlResult> {
  const client = wsClient(app.url, { authorization: `Bearer ${token}` });
  const subscription = new Subscription(client, query, {});
  try {
    return await subscription.next('the first result');
  } finally {
    await subscription.stop();
    await client.dispose();
  }
}
