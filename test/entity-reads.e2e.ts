import { EntityTarget, In } from 'typeorm';
import { PageArgs } from '../src/common/pagination/connection';
import { KeysetColumn, paginate } from '../src/common/pagination/keyset';
import { AuditEntryEntity } from '../src/audit/audit-entry.entity';
import { EmployeeEntity } from '../src/organizations/employee.entity';
import { AccountEntity } from '../src/accounts/account.entity';
import { BuildingEntity } from '../src/buildings/building.entity';
import { ClientEntity } from '../src/clients/client.entity';
import { readEntitiesByKeys, readEntitiesWithParents } from '../src/database/entity-reads';
import { readJsonRows } from '../src/database/json-reads';
import { sqlStatementCounter } from '../src/database/data-source-options';
import { preparedQuery } from '../src/database/prepared';
import { raw, sql } from '../src/common/sql/sql';
import { OccupancyEntity } from '../src/occupancy/occupancy.entity';
import { PremisesEntity } from '../src/premises/premises.entity';
import { factories } from './support/factories';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

const FIRST_NAMES = ['Аркадий', 'Борис', 'Вера', 'Галина', 'Денис', 'Елена'];

/**
 * The loaders' reads by key must hand resolvers exactly what TypeORM's find did: same rows, same
 * classes, same values after the column transformers (decimals, dates, jsonb, booleans, nulls).
 */
describe('readEntitiesByKeys', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /**
   * A building of `flats` flats, each with its owner (a card) and the owner's account; areas, entrances,
   * birth dates and flags vary so every column transformer meets a value and a null. The first card has
   * extra phones and a passport date.
   */
  async function seed(
    org: TestOrganization,
    flats: number,
  ): Promise<{ buildingId: string; premisesIds: string[]; clientIds: string[] }> {
    const make = factories(app, org);
    const buildingId = await make.building({
      city: 'Тверь',
      street: 'Читальная',
      house: '7',
      entrances: [{ number: 1, floors: 5 }],
      referenceSheet: '<p>Справка</p>',
    });
    const premisesIds: string[] = [];
    const clientIds: string[] = [];
    for (let n = 1; n <= flats; n++) {
      const premisesId = await make.premises(buildingId, String(n), {
        area: n % 2 === 0 ? (40.5 + n).toFixed(2) : undefined,
        entrance: n % 3 === 0 ? 1 : undefined,
      });
      const clientId = await make.client({
        lastName: 'Чтецов',
        firstName: FIRST_NAMES[n - 1],
        phone: `+7901${String(n).padStart(7, '0')}`,
        birthDate: n % 2 === 1 ? new Date(Date.UTC(1980, 1, 29 + n)).toISOString().slice(0, 10) : undefined,
        tester: n % 2 === 0,
        ...(n === 1 ? { extraPhones: ['+74950000001', '+74950000002'], passportIssuedOn: '2001-02-03' } : {}),
      });
      await make.occupancy(clientId, premisesId, 'OWNER');
      await make.account(premisesId, `Ч-${n}`, { ownerClientId: clientId, paymentsEnabled: n % 2 === 0 });
      premisesIds.push(premisesId);
      clientIds.push(clientId);
    }
    return { buildingId, premisesIds, clientIds };
  }

  it('returns what find returns, entity by entity, in the order asked for', async () => {
    const org = await createOrganization(app);
    const { buildingId, premisesIds, clientIds } = await seed(org, 6);
    const organizationId = org.organizationId;
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

    const premises = await readEntitiesByKeys(app.dataSource, PremisesEntity, organizationId, 'id', premisesIds);
    expect(premises.every((p) => p instanceof PremisesEntity)).toBe(true);
    expect(byId(premises)).toEqual(
      byId(await app.dataSource.getRepository(PremisesEntity).findBy({ organizationId, id: In(premisesIds) })),
    );
    expect(premises.find((p) => p.number === '2')!.area).toBe('42.50');

    const withBuildings = await readEntitiesWithParents(
      app.dataSource,
      PremisesEntity,
      organizationId,
      'id',
      premisesIds,
      { target: BuildingEntity, via: 'buildingId' },
    );
    expect(byId(withBuildings.map(([p]) => p))).toEqual(byId(premises));
    const building = await app.dataSource
      .getRepository(BuildingEntity)
      .findOneByOrFail({ organizationId, id: buildingId });
    expect(withBuildings.every(([, b]) => b instanceof BuildingEntity)).toBe(true);
    expect(withBuildings.map(([, b]) => b)).toEqual(premisesIds.map(() => building));

    const buildings = await readEntitiesByKeys(app.dataSource, BuildingEntity, organizationId, 'id', [buildingId]);
    expect(buildings).toEqual(
      await app.dataSource.getRepository(BuildingEntity).findBy({ organizationId, id: buildingId }),
    );

    const clients = await readEntitiesByKeys(app.dataSource, ClientEntity, organizationId, 'id', clientIds);
    expect(byId(clients)).toEqual(
      byId(await app.dataSource.getRepository(ClientEntity).findBy({ organizationId, id: In(clientIds) })),
    );

    const accounts = await readEntitiesByKeys(
      app.dataSource,
      AccountEntity,
      organizationId,
      'premisesId',
      premisesIds,
      ['numberKey'],
    );
    expect(accounts).toEqual(
      await app.dataSource
        .getRepository(AccountEntity)
        .find({ where: { organizationId, premisesId: In(premisesIds) }, order: { numberKey: 'ASC' } }),
    );
    expect(accounts.map((a) => a.number)).toEqual(['Ч-1', 'Ч-2', 'Ч-3', 'Ч-4', 'Ч-5', 'Ч-6']);

    const occupancies = await readEntitiesByKeys(
      app.dataSource,
      OccupancyEntity,
      organizationId,
      'clientId',
      clientIds,
      ['since'],
    );
    expect(occupancies).toEqual(
      await app.dataSource
        .getRepository(OccupancyEntity)
        .find({ where: { organizationId, clientId: In(clientIds) }, order: { since: 'ASC' } }),
    );
    expect(occupancies[0].since).toBeInstanceOf(Date);
  });

  it("readJsonRows (the import's bulk reads) gives the values TypeORM gives, and locks when asked", async () => {
    const org = await createOrganization(app);
    const { premisesIds, clientIds } = await seed(org, 6);
    const organizationId = org.organizationId;
    // Arrays, decimals, dates and a null among them (the first card of the seed has the arrays and dates). The share
    // has four decimals, as the integration API stores them and GraphQL's Decimal (two) does not take: set in SQL.
    await app.dataSource.query(
      `UPDATE account SET area_share = 0.3333, opened_on = date '2020-01-31' WHERE premises_id = $1`,
      [premisesIds[0]],
    );
    const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
    const manager = app.dataSource.manager;

    const clients = await readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.id = ANY(${clientIds}::uuid[])`,
    );
    expect(byId(clients)).toEqual(
      byId(await app.dataSource.getRepository(ClientEntity).findBy({ organizationId, id: In(clientIds) })),
    );
    const first = clients.find((c) => c.id === clientIds[0])!;
    expect(first).toMatchObject({
      extraPhones: ['+74950000001', '+74950000002'],
      passportIssuedOn: '2001-02-03',
      birthDate: '1980-03-01',
      tester: false,
      email: null,
    });
    expect(first.createdAt).toBeInstanceOf(Date);

    const accounts = await readJsonRows(
      manager,
      AccountEntity,
      'a',
      sql`a.organization_id = ${organizationId} AND a.premises_id = ANY(${premisesIds}::uuid[])`,
    );
    expect(byId(accounts)).toEqual(
      byId(await app.dataSource.getRepository(AccountEntity).findBy({ organizationId, premisesId: In(premisesIds) })),
    );
    expect(accounts.find((a) => a.premisesId === premisesIds[0])).toMatchObject({
      areaShare: '0.3333',
      openedOn: '2020-01-31',
    });

    const occupancies = await readJsonRows(
      manager,
      OccupancyEntity,
      'o',
      sql`o.organization_id = ${organizationId} AND o.premises_id = ANY(${premisesIds}::uuid[])`,
      { orderBy: ['since', 'id'] },
    );
    expect(occupancies).toEqual(
      await app.dataSource
        .getRepository(OccupancyEntity)
        .find({ where: { organizationId, premisesId: In(premisesIds) }, order: { since: 'ASC', id: 'ASC' } }),
    );
    expect(occupancies.map((o) => o.since.getTime())).toEqual(
      [...occupancies.map((o) => o.since.getTime())].sort((a, b) => a - b),
    );
    expect(
      await readJsonRows(
        manager,
        ClientEntity,
        'c',
        sql`c.organization_id = ${organizationId} AND c.id = ANY(${[]}::uuid[])`,
      ),
    ).toEqual([]);

    await app.dataSource.transaction(async (tx) => {
      await readJsonRows(
        tx,
        ClientEntity,
        'c',
        sql`c.organization_id = ${organizationId} AND c.id = ANY(${clientIds.slice(0, 1)}::uuid[])`,
        { lock: true },
      );
      await expect(
        app.dataSource.query('SELECT id FROM client WHERE id = $1 FOR UPDATE NOWAIT', [clientIds[0]]),
      ).rejects.toMatchObject({ code: '55P03' });
      expect(
        await app.dataSource.query('SELECT id FROM client WHERE id = $1 FOR UPDATE NOWAIT', [clientIds[1]]),
      ).toHaveLength(1);
    });
  });

  it('gives the paginated lists what find gives, page by page (hydrate.ts)', async () => {
    const org = await createOrganization(app);
    await seed(org, 6);
    const organizationId = org.organizationId;
    const check = async <T extends { id: string }>(
      entity: EntityTarget<T>,
      alias: string,
      kind: 'uuid' | 'int53' = 'uuid',
    ) => {
      const keys: KeysetColumn<T>[] = [
        { sql: `${alias}.id`, kind, value: (row) => (kind === 'uuid' ? row.id : Number(row.id)) },
      ];
      const list = { entity, alias, where: [sql`${raw(alias)}.organization_id = ${organizationId}`] };
      const read: T[] = [];
      const totals: number[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await paginate(
          app.dataSource,
          list,
          Object.assign(new PageArgs(), { first: 4, after }),
          keys,
          true,
        );
        read.push(...page.edges.map((edge) => edge.node));
        totals.push(page.totalCount!);
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor!;
      }
      const found = await app.dataSource
        .getRepository(entity)
        .find({ where: { organizationId } as never, order: { id: 'ASC' } as never });
      expect(found.length).toBeGreaterThan(0);
      expect(read).toEqual(found);
      expect(new Set(totals)).toEqual(new Set([found.length]));
      expect(read.every((row) => row instanceof (entity as new () => T))).toBe(true);
    };
    await check(PremisesEntity, 'p');
    await check(ClientEntity, 'c');
    await check(AccountEntity, 'a');
    await check(BuildingEntity, 'b');
    await check(EmployeeEntity, 'e');
    await check(OccupancyEntity, 'o');
    await check(AuditEntryEntity, 'a', 'int53');
  });

  it("reads nothing of another organization's, and nothing at all for no keys", async () => {
    const mine = await createOrganization(app);
    const theirs = await createOrganization(app);
    const { premisesIds } = await seed(theirs, 2);
    expect(await readEntitiesByKeys(app.dataSource, PremisesEntity, mine.organizationId, 'id', premisesIds)).toEqual(
      [],
    );
    expect(
      await readEntitiesWithParents(app.dataSource, PremisesEntity, mine.organizationId, 'id', premisesIds, {
        target: BuildingEntity,
        via: 'buildingId',
      }),
    ).toEqual([]);
    expect(
      await app.countStatements(() =>
        readEntitiesByKeys(app.dataSource, PremisesEntity, mine.organizationId, 'id', []),
      ),
    ).toBe(0);
  });

  it('keeps one statement text whatever the number of keys, prepared and planned once per connection', async () => {
    const org = await createOrganization(app);
    const { premisesIds } = await seed(org, 5);
    const texts: string[] = [];
    const logQuery = sqlStatementCounter.logQuery.bind(sqlStatementCounter);
    sqlStatementCounter.logQuery = (query: string) => {
      texts.push(query);
      logQuery(query);
    };
    try {
      for (let i = 0; i < 12; i++)
        await readEntitiesByKeys(
          app.dataSource,
          PremisesEntity,
          org.organizationId,
          'id',
          premisesIds.slice(0, 1 + (i % 5)),
        );
    } finally {
      sqlStatementCounter.logQuery = logQuery;
    }
    expect(new Set(texts).size).toBe(1);
    // One query at a time takes the most recently released connection of the prepared reads' pool: the
    // one that ran them all (and any earlier test's reads of premises), with one generic plan.
    const [prepared] = await preparedQuery<{ generic_plans: string; custom_plans: string }>(
      app.dataSource,
      sql`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = ${texts[0]}`,
    );
    expect(Number(prepared.generic_plans)).toBeGreaterThanOrEqual(12);
    expect(Number(prepared.custom_plans)).toBe(0);
    const [setting] = await preparedQuery<{ plan_cache_mode: string }>(app.dataSource, sql`SHOW plan_cache_mode`);
    expect(setting.plan_cache_mode).toBe('force_generic_plan');
  });
});
