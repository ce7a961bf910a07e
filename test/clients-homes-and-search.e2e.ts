import { EmployeeRole } from '../src/kernel/role';
import { Factories, factories } from './support/factories';
import { CLIENT_FIELDS, CREATE, fields, personMaker, SEARCH, startClientsSuite } from './support/clients-suite';
import { createOrganization, errorCode, TestApp, TestOrganization } from './support/test-app';

/** Clients at premises and their accounts, the client list's filters, the merge by hand. */
describe('clients', () => {
  let app: TestApp;
  let org: TestOrganization;
  let make: Factories;
  let premisesId: string;
  let otherPremisesId: string;

  const person = personMaker();
  const create = (input: Record<string, unknown>, token = org.adminToken) => app.gql(CREATE, { input }, token);

  beforeAll(async () => {
    ({ app, org, make, premisesId, otherPremisesId } = await startClientsSuite());
  });
  afterAll(() => app.close());

  describe('accounts, occupancy and search', () => {
    it('attaches clients to premises, lists them on both cards, and keeps account numbers as text', async () => {
      const owner = (await create(person({ lastName: 'Жильцов' }))).data.createClient.client;
      const attach = (clientId: string, role: string, keepOnSync = false) =>
        app.gql(
          `mutation { attachClientToPremises(input: { clientId: "${clientId}", premisesId: "${premisesId}", role: ${role}, keepOnSync: ${keepOnSync} }) { occupancy { role keepOnSync source } } }`,
          {},
          org.adminToken,
        );
      expect((await attach(owner.id, 'TENANT')).data.attachClientToPremises.occupancy).toEqual({
        role: 'TENANT',
        keepOnSync: false,
        source: 'MANUAL',
      });
      expect((await attach(owner.id, 'OWNER', true)).data.attachClientToPremises.occupancy).toEqual({
        role: 'OWNER',
        keepOnSync: true,
        source: 'MANUAL',
      });
      const roleOnly = await app.gql(
        `mutation { attachClientToPremises(input: { clientId: "${owner.id}", premisesId: "${premisesId}", role: CO_OWNER }) { occupancy { role keepOnSync } } }`,
        {},
        org.adminToken,
      );
      expect(roleOnly.data.attachClientToPremises.occupancy).toEqual({ role: 'CO_OWNER', keepOnSync: true }); // omitted flag is kept
      await attach(owner.id, 'OWNER', true);
      const unknown = await app.gql(
        `mutation { attachClientToPremises(input: { clientId: "${owner.id}", premisesId: "${owner.id}", role: OWNER }) { occupancy { id } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(fields(unknown)).toEqual(['input.premisesId']);

      const account = await app.gql(
        `mutation { createAccount(input: { number: "0012345", premisesId: "${premisesId}", ownerClientId: "${owner.id}", hiddenFromResident: true }) { account { id number paymentsEnabled hiddenFromResident owner { id } } } }`,
        {},
        org.adminToken,
      );
      expect(account.data.createAccount.account).toMatchObject({
        number: '0012345',
        paymentsEnabled: true,
        hiddenFromResident: true,
        owner: { id: owner.id },
      });
      const duplicate = await app.gql(
        `mutation { createAccount(input: { number: "00 12345", premisesId: "${otherPremisesId}" }) { account { id } } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(duplicate)).toBe('CONFLICT');
      expect(fields(duplicate)).toEqual(['input.number']);

      // Adding premises to a client: typing an account number or a part of the address finds them.
      const byAccount = await app.gql(
        `{ premisesList(filter: { search: "00123" }) { edges { node { id } } } }`,
        {},
        org.adminToken,
      );
      expect(byAccount.data.premisesList.edges).toEqual([{ node: { id: premisesId } }]);
      const byName = await app.gql(
        `{ premisesList(filter: { search: "Клиентская 3 кв 13" }) { edges { node { id } } } }`,
        {},
        org.adminToken,
      );
      expect(byName.data.premisesList.edges).toEqual([{ node: { id: otherPremisesId } }]);
      // Adding a client to premises: the surname's beginning finds them.
      const bySurname = await app.gql(SEARCH, { filter: { surnamePrefix: 'жильц' } }, org.adminToken);
      expect(bySurname.data.clients.edges).toEqual([{ node: { id: owner.id } }]);

      const card = await app.gql(
        `{ premises(id: "${premisesId}") { clients { role client { id fullName } } accounts { number } } }`,
        {},
        org.adminToken,
      );
      expect(card.data.premises.clients).toEqual([
        { role: 'OWNER', client: { id: owner.id, fullName: 'Жильцов Иван' } },
      ]);
      expect(card.data.premises.accounts).toEqual([{ number: '0012345' }]);

      const accountId = account.data.createAccount.account.id;
      const blocked = await app.gql(
        `mutation { deletePremises(input: { id: "${premisesId}" }) { deletedId } }`,
        {},
        org.adminToken,
      );
      expect(errorCode(blocked)).toBe('CONFLICT'); // the account still refers to it
      const closed = await app.gql(
        `mutation { closeAccount(input: { id: "${accountId}", closedOn: "2026-01-31" }) { account { status closedOn } } }`,
        {},
        org.adminToken,
      );
      expect(closed.data.closeAccount.account).toEqual({ status: 'CLOSED', closedOn: '2026-01-31' });
      expect(
        errorCode(
          await app.gql(
            `mutation { closeAccount(input: { id: "${accountId}" }) { account { id } } }`,
            {},
            org.adminToken,
          ),
        ),
      ).toBe('CONFLICT');

      const detached = await app.gql(
        `mutation { detachClientFromPremises(input: { clientId: "${owner.id}", premisesId: "${premisesId}" }) { clientId } }`,
        {},
        org.adminToken,
      );
      expect(detached.errors).toBeUndefined();
      const after = await app.gql(`{ client(id: "${owner.id}") { premises { role } } }`, {}, org.adminToken);
      expect(after.data.client.premises).toEqual([]);
    });

    it('finds clients by surname prefix, phone digits, identifier, premises, account number, status and type', async () => {
      const fresh = await createOrganization(app);
      const token = fresh.adminToken;
      const inFresh = factories(app, fresh);
      const flatId = await inFresh.premises(
        await inFresh.building({ city: 'Тула', street: 'Поисковая', house: '1' }),
        '7',
      );
      const mk = async (input: Record<string, unknown>) =>
        (await create(input, token)).data.createClient.client.id as string;
      const orlov = await mk({
        lastName: 'Орлов',
        firstName: 'Олег',
        phone: '+7 916 123-45-67',
        externalIds: [{ system: '1С', value: 'ORL-7' }],
      });
      const orlova = await mk({ lastName: 'Орлова', firstName: 'Ольга', phone: '+7 926 765-43-21' });
      const company = await mk({ type: 'LEGAL_ENTITY', organizationName: 'Орловский хлеб', inn: '7830002293' });
      await inFresh.occupancy(orlova, flatId, 'TENANT');
      await inFresh.account(flatId, '77-001');
      await app.gql(`mutation { blockClient(input: { id: "${orlov}" }) { client { id } } }`, {}, token);

      const ids = async (filter: Record<string, unknown>) => {
        const result = await app.gql(SEARCH, { filter }, token);
        expect(result.errors).toBeUndefined();
        return result.data.clients.edges.map((e: any) => e.node.id);
      };
      expect(await ids({ surnamePrefix: 'орлов' })).toEqual([orlov, orlova, company]);
      expect(await ids({ surnamePrefix: 'Орлова' })).toEqual([orlova]);
      expect(await ids({ phone: '916 12' })).toEqual([orlov]);
      expect(await ids({ phone: '8 926 765-43-21' })).toEqual([orlova]);
      expect(await ids({ search: '4321' })).toEqual([orlova]);
      expect(await ids({ externalId: 'ORL-7' })).toEqual([orlov]);
      expect(await ids({ premisesId: flatId })).toEqual([orlova]);
      expect(await ids({ accountNumber: '77-001' })).toEqual([orlova]);
      expect(await ids({ status: 'BLOCKED' })).toEqual([orlov]);
      expect(await ids({ type: 'LEGAL_ENTITY' })).toEqual([company]);
      expect(errorCode(await app.gql(SEARCH, { filter: { phone: '9' } }, token))).toBe('BAD_USER_INPUT');

      // Short parts (3-4 digits) take the index-walk path: pages follow the surname order without gaps.
      const shared = [
        await mk({ lastName: 'Пятов', firstName: 'А', phone: '+7 903 100-45-45' }),
        await mk({ lastName: 'Бесов', firstName: 'Б', phone: '+7 903 200-45-45' }),
        await mk({ lastName: 'Яшин', firstName: 'В', phone: '+7 903 300-45-45' }),
      ];
      const pages: string[] = [];
      let after: string | undefined;
      do {
        const page = await app.gql(
          `query($after: String) { clients(first: 1, after: $after, filter: { phone: "4545" }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          token,
        );
        pages.push(...page.data.clients.edges.map((e: any) => e.node.id));
        after = page.data.clients.pageInfo.hasNextPage ? page.data.clients.pageInfo.endCursor : undefined;
      } while (after);
      expect(pages).toEqual([shared[1], shared[0], shared[2]]);
      expect(await ids({ phone: '4545', status: 'ACTIVE' })).toEqual([shared[1], shared[0], shared[2]]);
    });

    it('merges two cards by hand: premises, tags, identifiers and account ownership move; the source is gone', async () => {
      const target = (await create(person({ lastName: 'Слияев', extraPhones: ['+7 495 765-43-21'] }))).data.createClient
        .client;
      const source = (
        await create(
          person({
            lastName: 'Слияев',
            firstName: 'Иван',
            inn: '500100732259',
            externalIds: [{ system: '1С', value: 'MERGE-SRC' }],
          }),
        )
      ).data.createClient.client;
      await make.tag(source.id, 'Старший по дому');
      await make.occupancy(source.id, otherPremisesId, 'CO_OWNER');
      await make.account(otherPremisesId, 'MERGE-1', { ownerClientId: source.id });

      const manager = await make.employee(EmployeeRole.MANAGER);
      const merge = `mutation($input: MergeClientsInput!) { mergeClients(input: $input) { removedClientId client { ${CLIENT_FIELDS} } } }`;
      expect(
        errorCode(await app.gql(merge, { input: { targetId: target.id, sourceId: source.id } }, manager.token)),
      ).toBe('FORBIDDEN');
      const merged = await app.gql(merge, { input: { targetId: target.id, sourceId: source.id } }, org.adminToken);
      expect(merged.errors).toBeUndefined();
      const card = merged.data.mergeClients.client;
      expect(card.id).toBe(target.id);
      expect(card.inn).toBe('500100732259');
      expect(card.extraPhones).toEqual(['+74957654321', source.phone]);
      expect(card.tags.map((t: any) => t.name)).toEqual(['Старший по дому']);
      expect(card.externalIds.map((e: any) => e.value)).toEqual(['MERGE-SRC']);
      expect(card.premises).toEqual([
        { role: 'CO_OWNER', keepOnSync: false, source: 'MANUAL', premises: { id: otherPremisesId } },
      ]);
      const owned = await app.gql(
        `{ accounts(filter: { ownerClientId: "${target.id}" }) { edges { node { number } } } }`,
        {},
        org.adminToken,
      );
      expect(owned.data.accounts.edges).toEqual([{ node: { number: 'MERGE-1' } }]);
      expect(errorCode(await app.gql(`{ client(id: "${source.id}") { id } }`, {}, org.adminToken))).toBe('NOT_FOUND');
      const log = await app.gql(
        `{ auditLog(entityType: CLIENT, entityId: "${target.id}", first: 5) { edges { node { action after } } } }`,
        {},
        org.adminToken,
      );
      // The newest entries may record that the merge's answer showed the card's personal data.
      const entry = log.data.auditLog.edges
        .map((e: any) => e.node)
        .find((n: any) => n.action !== 'personal_data_viewed');
      expect(entry.action).toBe('merged');
      expect(entry.after.mergedClientId).toBe(source.id);
    });
  });
});
