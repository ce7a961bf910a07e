import { EmployeeRole } from '../src/kernel/role';
import { CrmSpace } from '../src/kernel/crm-space';
import { Factories } from './support/factories';
import { CREATE, personMaker, SEARCH, startClientsSuite } from './support/clients-suite';
import { errorCode, TestApp, TestOrganization } from './support/test-app';

/** Client tags and external identifiers. */
describe('clients', () => {
  let app: TestApp;
  let org: TestOrganization;
  let make: Factories;

  const person = personMaker();
  const create = (input: Record<string, unknown>, token = org.adminToken) => app.gql(CREATE, { input }, token);

  beforeAll(async () => {
    ({ app, org, make } = await startClientsSuite());
  });
  afterAll(() => app.close());

  describe('tags and external identifiers', () => {
    it('creates a tag on first use, never duplicates it by case or spaces, and filters by it', async () => {
      const first = (await create(person())).data.createClient.client;
      const second = (await create(person())).data.createClient.client;
      const add = (clientId: string, tagName: string) =>
        app.gql(
          `mutation { addClientTag(input: { clientId: "${clientId}", tagName: "${tagName}" }) { client { tags { id name } } } }`,
          {},
          org.adminToken,
        );
      const a = await add(first.id, 'Должник 2026');
      const b = await add(second.id, '  должник   2026 ');
      expect(b.data.addClientTag.client.tags).toEqual(a.data.addClientTag.client.tags);
      const typeahead = await app.gql(`{ tags(prefix: "ДОЛ") { name } }`, {}, org.adminToken);
      expect(typeahead.data.tags).toEqual([{ name: 'Должник 2026' }]);
      const tagId = a.data.addClientTag.client.tags[0].id;
      const tagLog = await app.gql(
        `{ auditLog(entityType: TAG, entityId: "${tagId}") { totalCount edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      expect(tagLog.data.auditLog).toEqual({
        totalCount: 1,
        edges: [{ node: { action: 'created', after: { name: 'Должник 2026' } } }],
      });
      const found = await app.gql(SEARCH, { filter: { tagIds: [tagId] } }, org.adminToken);
      expect(found.data.clients.edges.map((e: any) => e.node.id).sort()).toEqual([first.id, second.id].sort());
    });

    it('keeps identifiers unique and inside the employee’s space', async () => {
      const client = (await create(person({ externalIds: [{ system: '1С', value: 'UNIQ-1', note: 'из 1С' }] }))).data
        .createClient.client;
      const other = (await create(person())).data.createClient.client;
      const addTo = (clientId: string, space: string, value: string) =>
        app.gql(
          `mutation { addExternalId(input: { clientId: "${clientId}", space: ${space}, system: "1С", value: "${value}" }) { externalId { id } } }`,
          {},
          org.adminToken,
        );
      expect(errorCode(await addTo(other.id, 'OPERATION', 'UNIQ-1'))).toBe('CONFLICT');
      expect(errorCode(await addTo(other.id, 'CONSTRUCTION', 'C-1'))).toBe('FORBIDDEN');

      const builder = await make.employee(EmployeeRole.MANAGER, { crmSpace: CrmSpace.CONSTRUCTION });
      const foreign = {
        id: await make
          .as(builder.token)
          .externalId(client.id, { space: CrmSpace.CONSTRUCTION, system: 'amo', value: 'HIDDEN' }),
      };
      // Another space's identifier is shown, read-only: changing or removing it is refused.
      expect(
        errorCode(
          await app.gql(
            `mutation { updateExternalId(input: { id: "${foreign.id}", note: "x" }) { externalId { id } } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await app.gql(
            `mutation { removeExternalId(input: { id: "${foreign.id}" }) { removedId } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        errorCode(
          await app.gql(
            `mutation { removeExternalId(input: { id: "00000000-0000-4000-8000-000000000000" }) { removedId } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('NOT_FOUND');

      const own = client.externalIds[0].id;
      const edited = await app.gql(
        `mutation { updateExternalId(input: { id: "${own}", note: "сверено" }) { externalId { note value } } }`,
        {},
        org.adminToken,
      );
      expect(edited.data.updateExternalId.externalId).toEqual({ note: 'сверено', value: 'UNIQ-1' });
      const removed = await app.gql(
        `mutation { removeExternalId(input: { id: "${own}" }) { client { externalIds { id } } } }`,
        {},
        org.adminToken,
      );
      expect(removed.data.removeExternalId.client.externalIds).toEqual([{ id: foreign.id }]);
      const left = await app.dataSource.query(`SELECT value FROM external_id WHERE entity_id = $1`, [client.id]);
      expect(left).toEqual([{ value: 'HIDDEN' }]);
    });
  });
});
