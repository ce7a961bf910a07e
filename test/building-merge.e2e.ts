import { randomUUID } from 'node:crypto';
import { addressKey } from '../src/buildings/address';
import { describeMergeReport, MERGE_LEAVES, MERGE_MOVES, mergeDuplicateBuildings } from '../src/wiring/building-merge';
import { AddressKeysClassifierRule1795510000000 } from '../src/database/migrations/1795510000000-AddressKeysClassifierRule';
import { finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';
import { factories } from './support/factories';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

/**
 * A database from before the address rule knew «пр-кт», «7-А» and «7 корп. 1»: the second building
 * of each pair is inserted with the key the OLD rule computed, as it would be stored today.
 */
describe('buildings the address rule makes one', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const sql = <T = any>(query: string, params: unknown[] = []) => app.dataSource.query(query, params) as Promise<T[]>;
  const gql = async (org: TestOrganization, query: string, variables: Record<string, unknown> = {}) => {
    const result = await app.gql(query, variables, org.adminToken);
    expect(result.errors).toBeUndefined();
    return result.data;
  };

  const building = (org: TestOrganization, street: string, house: string, block?: string) =>
    factories(app, org).building({ city: 'Москва', street, house, block });

  /** Inserted as an older release stored it: `oldKey` is what the old rule computed for this address. */
  async function oldBuilding(
    org: TestOrganization,
    street: string,
    house: string,
    block: string | null,
    oldKey: string,
  ): Promise<string> {
    const id = randomUUID();
    await sql(
      `INSERT INTO building (organization_id, id, city, street, house, block, address_key, search_text, entrances, created_at)
       VALUES ($1, $2, 'Москва', $3, $4, $5, $6, '', '[]', now() + interval '1 second')`,
      [org.organizationId, id, street, house, block, oldKey],
    );
    return id;
  }

  /** Two pairs in one organization, the way a database from before holds them. */
  async function world() {
    const org = await createOrganization(app);
    const make = factories(app, org);
    const mira = await building(org, 'проспект Мира', '7А');
    const miraOld = await oldBuilding(org, 'пр-кт Мира', '7-А', null, 'москва|мира пр-кт|7-а|');
    const lenina = await building(org, 'ул. Ленина', '7', '1');
    const leninaOld = await oldBuilding(org, 'ул. Ленина', '7 корп. 1', null, 'москва|ленина улица|7корп1|');
    const flat12 = await make.premises(mira, '12');
    const oldFlat12 = await make.premises(miraOld, '12');
    const oldFlat15 = await make.premises(miraOld, '15');
    await make.account(oldFlat12, '0179999');
    const houseTicket = (await make.ticket({ buildingId: miraOld })).id;
    const flatTicket = (await make.ticket({ premisesId: oldFlat12 })).id;
    // Ivanov is attached to both flats «12» (as owner in the kept one), Petrova only to the duplicate's.
    const ivanov = await make.client({ lastName: 'Иванов', firstName: 'Тест' });
    const petrova = await make.client({ lastName: 'Петрова', firstName: 'Тест' });
    await make.occupancy(ivanov, flat12, 'OWNER');
    await make.occupancy(ivanov, oldFlat12, 'TENANT');
    await make.occupancy(petrova, oldFlat12, 'FAMILY_MEMBER');
    // A building's identifier comes from a registry or the integration API, neither of which knows the old key: set in SQL.
    await sql(
      `INSERT INTO external_id (organization_id, entity_type, entity_id, space, system, value) VALUES ($1, 'BUILDING', $2, 'OPERATION', 'ГИС ЖКХ', 'FIAS-1')`,
      [org.organizationId, miraOld],
    );
    return {
      org,
      mira,
      miraOld,
      lenina,
      leninaOld,
      flat12,
      oldFlat12,
      oldFlat15,
      houseTicket,
      flatTicket,
      ivanov,
      petrova,
    };
  }

  const counts = async (organizationId: string) =>
    (
      await sql(
        `SELECT (SELECT count(*) FROM building WHERE organization_id = $1)::int AS buildings, (SELECT count(*) FROM premises WHERE organization_id = $1)::int AS premises,
              (SELECT count(*) FROM audit_entry WHERE organization_id = $1)::int AS audit`,
        [organizationId],
      )
    )[0];

  it('knows every column that can hold a building or premises id (sweep over the schema)', async () => {
    const columns = await sql(
      `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'uuid' AND (column_name ~ '(building|premises|place)' OR column_name = 'entity_id')
        ORDER BY 1`,
    );
    expect(columns.map((c) => c.name)).toEqual([...MERGE_MOVES, ...MERGE_LEAVES].sort());
  });

  it('the migration recomputes keys without failing on duplicates: the oldest takes the new key, the younger keeps its old one', async () => {
    const w = await world();
    const alone = await oldBuilding(w.org, 'ал. Берёзовая', '4', null, 'москва|ал березовая|4|');
    // Two keys that swap: written in two steps, they never meet the unique index halfway.
    const first = await oldBuilding(w.org, 'ул. Садовая', '1', null, 'москва|садовая улица|2|');
    const second = await oldBuilding(w.org, 'ул. Садовая', '2', null, 'москва|садовая улица|1|');
    const runner = app.dataSource.createQueryRunner();
    try {
      await new AddressKeysClassifierRule1795510000000().up(runner);
    } finally {
      await runner.release();
    }
    const keys = Object.fromEntries(
      (await sql(`SELECT id, address_key FROM building WHERE organization_id = $1`, [w.org.organizationId])).map(
        (r) => [r.id, r.address_key],
      ),
    );
    expect(keys[alone]).toBe('москва|аллея березовая|4|');
    expect([keys[first], keys[second]]).toEqual(['москва|садовая улица|1|', 'москва|садовая улица|2|']);
    expect(keys[w.mira]).toBe(addressKey({ city: 'Москва', street: 'пр-кт Мира', house: '7-А' }));
    expect(keys[w.miraOld]).toBe('москва|мира пр-кт|7-а|');
    expect(keys[w.leninaOld]).toBe('москва|ленина улица|7корп1|');
  });

  it('lists the duplicates in a dry run and changes nothing', async () => {
    const w = await world();
    const before = await counts(w.org.organizationId);
    const report = await mergeDuplicateBuildings(app.dataSource, {
      dryRun: true,
      organizationId: w.org.organizationId,
    });
    expect(report.groups).toEqual([
      {
        organizationId: w.org.organizationId,
        keep: { id: w.mira, address: 'Москва, проспект Мира, д. 7А' },
        merged: [
          {
            id: w.miraOld,
            address: 'Москва, пр-кт Мира, д. 7-А',
            joinedPremises: [{ type: 'FLAT', number: '12', from: w.oldFlat12, into: w.flat12 }],
          },
        ],
      },
      {
        organizationId: w.org.organizationId,
        keep: { id: w.lenina, address: 'Москва, ул. Ленина, д. 7, корп. 1' },
        merged: [{ id: w.leninaOld, address: 'Москва, ул. Ленина, д. 7 корп. 1', joinedPremises: [] }],
      },
    ]);
    expect(describeMergeReport(report)).toContain(`would join ${w.miraOld} Москва, пр-кт Мира, д. 7-А`);
    expect(await counts(w.org.organizationId)).toEqual(before);
    expect(
      (
        await sql(`SELECT address_key FROM building WHERE organization_id = $1 AND id = $2`, [
          w.org.organizationId,
          w.miraOld,
        ])
      )[0].address_key,
    ).toBe('москва|мира пр-кт|7-а|');
  });

  it('joins them for real: the oldest stays, premises, tickets, accounts and external ids move, audited; other organizations untouched', async () => {
    const w = await world();
    const other = await world();
    const report = await mergeDuplicateBuildings(app.dataSource, {
      dryRun: false,
      organizationId: w.org.organizationId,
    });
    expect(report.groups.map((g) => [g.keep.id, g.merged.map((m) => m.id)])).toEqual([
      [w.mira, [w.miraOld]],
      [w.lenina, [w.leninaOld]],
    ]);

    const org = w.org.organizationId;
    const buildings = await sql(`SELECT id, address_key FROM building WHERE organization_id = $1 ORDER BY created_at`, [
      org,
    ]);
    expect(buildings).toEqual([
      { id: w.mira, address_key: addressKey({ city: 'Москва', street: 'проспект Мира', house: '7А' }) },
      { id: w.lenina, address_key: addressKey({ city: 'Москва', street: 'ул. Ленина', house: '7', block: '1' }) },
    ]);
    // Flat 12 of the duplicate joined flat 12 of the kept building; flat 15 moved as it was.
    expect(
      await sql(`SELECT id, number, building_id FROM premises WHERE organization_id = $1 ORDER BY number`, [org]),
    ).toEqual([
      { id: w.flat12, number: '12', building_id: w.mira },
      { id: w.oldFlat15, number: '15', building_id: w.mira },
    ]);
    expect(await sql(`SELECT premises_id FROM account WHERE organization_id = $1`, [org])).toEqual([
      { premises_id: w.flat12 },
    ]);
    expect(
      await sql(`SELECT premises_id, client_id, role FROM occupancy WHERE organization_id = $1 ORDER BY role`, [org]),
    ).toEqual([
      { premises_id: w.flat12, client_id: w.petrova, role: 'FAMILY_MEMBER' },
      { premises_id: w.flat12, client_id: w.ivanov, role: 'OWNER' },
    ]);
    expect(
      await sql(
        `SELECT id, building_id, premises_id, place_id FROM ticket WHERE organization_id = $1 ORDER BY number`,
        [org],
      ),
    ).toEqual([
      { id: w.houseTicket, building_id: w.mira, premises_id: null, place_id: w.mira },
      { id: w.flatTicket, building_id: w.mira, premises_id: w.flat12, place_id: w.flat12 },
    ]);
    expect(await sql(`SELECT entity_id FROM external_id WHERE organization_id = $1`, [org])).toEqual([
      { entity_id: w.mira },
    ]);
    const audit = await sql(
      `SELECT entity_type, entity_id, action, after, channel_ref FROM audit_entry WHERE organization_id = $1 AND action IN ('merged', 'merged_into') ORDER BY id`,
      [org],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          entity_type: 'BUILDING',
          entity_id: w.mira,
          action: 'merged',
          after: expect.objectContaining({ mergedBuildingId: w.miraOld }),
          channel_ref: 'buildings:merge-duplicates',
        }),
        expect.objectContaining({
          entity_type: 'BUILDING',
          entity_id: w.miraOld,
          action: 'merged_into',
          after: { mergedIntoBuildingId: w.mira },
        }),
        expect.objectContaining({
          entity_type: 'PREMISES',
          entity_id: w.flat12,
          action: 'merged',
          after: { mergedPremisesId: w.oldFlat12 },
        }),
        expect.objectContaining({
          entity_type: 'BUILDING',
          entity_id: w.lenina,
          action: 'merged',
          after: expect.objectContaining({ mergedBuildingId: w.leninaOld }),
        }),
      ]),
    );
    expect(audit).toHaveLength(6);
    // The building is readable through the API with its premises.
    const read = await gql(
      w.org,
      `query($id: ID!) { premisesList(filter: { buildingId: $id }) { edges { node { number } } } }`,
      { id: w.mira },
    );
    expect(read.premisesList.edges.map((e: any) => e.node.number)).toEqual(['12', '15']);

    expect((await counts(other.org.organizationId)).buildings).toBe(4);
    expect((await mergeDuplicateBuildings(app.dataSource, { dryRun: false, organizationId: org })).groups).toEqual([]);
  });

  it('an import row «пр-кт Мира, 7-А» lands in the existing «проспект Мира, 7А» building, and «7 корп. 1» in «7» + «1»', async () => {
    const org = await createOrganization(app);
    const mira = await building(org, 'проспект Мира', '7А');
    const lenina = await building(org, 'ул. Ленина', '7', '1');
    const file = await registryXlsx([
      { city: 'Москва', street: 'пр-кт Мира', house: '7-А', premisesNumber: '20', accountNumber: '2000020' },
      { city: 'Москва', street: 'ул. Ленина', house: '7 корп. 1', premisesNumber: '3', accountNumber: '3000003' },
    ]);
    const answer = await uploadRegistry(app, org.adminToken, file);
    expect(answer.status).toBe(202);
    expect(await finishedJob(app, org.adminToken, answer.body.id!)).toMatchObject({ status: 'COMPLETED', failed: 0 });
    expect(
      await sql(`SELECT id FROM building WHERE organization_id = $1 ORDER BY created_at`, [org.organizationId]),
    ).toEqual([{ id: mira }, { id: lenina }]);
    expect(
      await sql(`SELECT number, building_id FROM premises WHERE organization_id = $1 ORDER BY number`, [
        org.organizationId,
      ]),
    ).toEqual([
      { number: '20', building_id: mira },
      { number: '3', building_id: lenina },
    ]);
  });
});
