import {
  finishedJob,
  generatedRegistry,
  registrySnapshot,
  registryXlsx,
  uploadRegistry,
} from './support/registry-files';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

import { countRows, ImportOptions, importRegistry, ROWS } from './support/import-suite';

describe('Excel registry import: MERGE and REPLACE, sync, dry run, cancel, the jobs list', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Every upload here is read in the reading thread (off by default; `on` takes uploads of 1 MiB or more).
    app = await startTestApp({
      IMPORT_BATCH_ROWS: '2',
      IMPORT_MAX_BYTES: String(200 * 1024),
      IMPORT_READING_THREAD: 'always',
    });
  });
  afterAll(() => app.close());

  const importFile = (target: TestOrganization, file: Buffer, options: ImportOptions = {}) =>
    importRegistry(app, target, file, options);
  const countOf = (table: string, organizationId: string) => countRows(app, table, organizationId);

  it('MERGE keeps what an empty cell does not say; REPLACE clears it', async () => {
    const target = await createOrganization(app);
    await importFile(target, await registryXlsx(ROWS.slice(0, 1)));
    const withoutEmail = { ...ROWS[0], email: '', entrance: '' };
    const merged = await importFile(target, await registryXlsx([withoutEmail]), { mode: 'MERGE' });
    expect(merged).toMatchObject({ unchanged: 1, updated: 0 });
    let [client] = (await registrySnapshot(app.dataSource, target.organizationId)).clients as any[];
    expect(client.email).toBe('ivanov@mail.ru');
    const replaced = await importFile(target, await registryXlsx([withoutEmail]), { mode: 'REPLACE' });
    expect(replaced).toMatchObject({ updated: 1, unchanged: 0 });
    const snapshot = await registrySnapshot(app.dataSource, target.organizationId);
    [client] = snapshot.clients as any[];
    expect(client.email).toBeNull();
    expect((snapshot.premises[0] as any).entrance).toBeNull();
    // A column that is not in the file is left alone even by REPLACE.
    const keys = [
      'city',
      'street',
      'house',
      'premisesNumber',
      'lastName',
      'firstName',
      'middleName',
      'phones',
    ] as const;
    const partial = await importFile(target, await registryXlsx([{ ...ROWS[0] }], keys), { mode: 'REPLACE' });
    expect(partial).toMatchObject({ status: 'COMPLETED', failed: 0 });
    expect(((await registrySnapshot(app.dataSource, target.organizationId)).clients[0] as any).birth_date).toBe(
      '1980-12-31',
    );
  });

  it('sync detaches import-attached clients the file no longer lists, but not keepOnSync ones nor manual attachments; without sync nothing is detached', async () => {
    const target = await createOrganization(app);
    const flat = { city: 'Казань', street: 'ул. Баумана', house: '1', premisesNumber: '3' };
    await importFile(
      target,
      await registryXlsx([
        { ...flat, lastName: 'Старый', firstName: 'Житель', phones: '+7 916 500-00-01' },
        { ...flat, lastName: 'Постоянный', firstName: 'Житель', phones: '+7 916 500-00-02', keepOnSync: 'Да' },
      ]),
    );
    const [{ id: premisesId }] = await app.dataSource.query(`SELECT id FROM premises WHERE organization_id = $1`, [
      target.organizationId,
    ]);
    const manual = await app.gql(
      `mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } } }`,
      { input: { type: 'INDIVIDUAL', lastName: 'Ручной', firstName: 'Житель', phone: '+7 916 500-00-03' } },
      target.adminToken,
    );
    const attached = await app.gql(
      `mutation($input: AttachClientToPremisesInput!) { attachClientToPremises(input: $input) { occupancy { id } } }`,
      { input: { clientId: manual.data.createClient.client.id, premisesId, role: 'TENANT' } },
      target.adminToken,
    );
    expect(attached.errors).toBeUndefined();
    const newcomer = { ...flat, lastName: 'Новый', firstName: 'Житель', phones: '+7 916 500-00-04' };

    const withoutSync = await importFile(target, await registryXlsx([newcomer]), { sync: false });
    expect(withoutSync).toMatchObject({ created: 1, detached: 0 });
    const names = async () =>
      ((await registrySnapshot(app.dataSource, target.organizationId)).occupancies as any[])
        .map((o) => o.name_key)
        .sort();
    expect(await names()).toEqual(['новый житель', 'постоянный житель', 'ручной житель', 'старый житель']);

    const dry = await importFile(target, await registryXlsx([newcomer]), { sync: true, mode: 'DRY_RUN' });
    expect(dry).toMatchObject({ status: 'COMPLETED', unchanged: 1, detached: 1 });
    expect(await names()).toHaveLength(4);
    const synced = await importFile(target, await registryXlsx([newcomer]), { sync: true });
    expect(synced).toMatchObject({ unchanged: 1, detached: 1 });
    expect(await names()).toEqual(['новый житель', 'постоянный житель', 'ручной житель']);
    const detachedAudit = await app.dataSource.query(
      `SELECT channel_ref AS ref FROM audit_entry WHERE organization_id = $1 AND action = 'detached'`,
      [target.organizationId],
    );
    expect(detachedAudit).toEqual([{ ref: synced.id }]);
  });

  it('sync leaves the residents of a premises alone when one of its rows failed, and refuses a file that names no clients', async () => {
    const target = await createOrganization(app);
    const flat = { city: 'Самара', street: 'ул. Победы', house: '2', premisesNumber: '8' };
    const first = { ...flat, lastName: 'Первый', firstName: 'Жилец', phones: '+7 916 700-00-01' };
    const second = { ...flat, lastName: 'Второй', firstName: 'Жилец', phones: '+7 916 700-00-02' };
    await importFile(target, await registryXlsx([first, second]));
    // The second resident's row has a typo in the role: they are still in the file, just not readable.
    const synced = await importFile(target, await registryXlsx([first, { ...second, role: 'Собственик' }]), {
      sync: true,
    });
    expect(synced).toMatchObject({ status: 'COMPLETED', unchanged: 1, failed: 1, detached: 0 });
    expect(await countOf('occupancy', target.organizationId)).toBe(2);

    const accountsOnly = await registryXlsx(
      [{ ...flat, accountNumber: '123' }],
      ['city', 'street', 'house', 'premisesNumber', 'accountNumber'],
    );
    const refused = await importFile(target, accountsOnly, { sync: true });
    expect(refused).toMatchObject({ status: 'FAILED', error: { code: 'BAD_HEADER' } });
    expect(refused.error.message).toContain('Синхронизация');
    expect(await countOf('occupancy', target.organizationId)).toBe(2);
    expect(await countOf('account', target.organizationId)).toBe(0);
  });

  it('never changes an existing card’s login phone: REPLACE sets the other phones, a row with the login phone second still finds the card', async () => {
    const target = await createOrganization(app);
    await importFile(target, await registryXlsx([ROWS[0]]));
    const replaced = await importFile(
      target,
      await registryXlsx([
        { ...ROWS[0], phones: '+7 495 000-11-22; 8 916 111-22-33', externalId: '', externalSystem: '' },
      ]),
      { mode: 'REPLACE' },
    );
    expect(replaced).toMatchObject({ status: 'COMPLETED', updated: 1, created: 0, failed: 0 });
    const [client] = (await registrySnapshot(app.dataSource, target.organizationId)).clients as any[];
    expect(client).toMatchObject({ phone: '+79161112233', extra_phones: ['+74950001122'] });
    const emptied = await importFile(target, await registryXlsx([{ ...ROWS[0], phones: '' }]), { mode: 'REPLACE' });
    expect(emptied.failed).toBe(0);
    expect((await registrySnapshot(app.dataSource, target.organizationId)).clients[0] as any).toMatchObject({
      phone: '+79161112233',
      extra_phones: [],
    });
  });

  it('DRY_RUN writes nothing and reports exactly the counts the real run then reports', async () => {
    const target = await createOrganization(app);
    const file = await registryXlsx([
      ...ROWS,
      {
        city: 'Москва',
        street: 'ул. Ленина',
        house: '5А',
        premisesNumber: '99',
        lastName: 'Без',
        firstName: 'Телефона',
        phones: '8 916 11',
      },
      { street: 'без города', house: '1', premisesNumber: '1' },
    ]);
    const dry = await importFile(target, file, { mode: 'DRY_RUN' });
    expect(dry).toMatchObject({ status: 'COMPLETED', mode: 'DRY_RUN', created: 6, failed: 1 });
    for (const table of ['building', 'premises', 'account', 'client', 'occupancy', 'audit_entry'])
      expect(await countOf(table, target.organizationId)).toBe(0);
    const real = await importFile(target, file, { mode: 'MERGE' });
    for (const counter of ['processedRows', 'created', 'updated', 'unchanged', 'failed', 'detached'])
      expect(real[counter]).toBe(dry[counter]);
    const dryAgain = await importFile(target, file, { mode: 'DRY_RUN' });
    expect(dryAgain).toMatchObject({ created: 0, unchanged: 6, failed: 1 });
  });

  it('cancel stops between batches and keeps what committed, reported as such', async () => {
    const target = await createOrganization(app);
    const answer = await uploadRegistry(app, target.adminToken, await registryXlsx(generatedRegistry(600)));
    const id = answer.body.id!;
    for (;;) {
      const job = (
        await app.gql(`query($id: String!) { importJob(id: $id) { status processedRows } }`, { id }, target.adminToken)
      ).data.importJob;
      if (job.processedRows >= 10) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const cancel = await app.gql(
      `mutation($input: CancelImportInput!) { cancelImport(input: $input) { job { id } } }`,
      { input: { id } },
      target.adminToken,
    );
    expect(cancel.errors).toBeUndefined();
    const job = await finishedJob(app, target.adminToken, id);
    expect(job).toMatchObject({ status: 'CANCELLED', error: { code: 'CANCELLED' } });
    expect(job.processedRows).toBeLessThan(600);
    expect(job.error.message).toContain(`(${job.processedRows} шт.)`);
    expect(await countOf('client', target.organizationId)).toBe(job.created);
    const again = await app.gql(
      `mutation($input: CancelImportInput!) { cancelImport(input: $input) { job { id } } }`,
      { input: { id } },
      target.adminToken,
    );
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('lists the organization’s imports, newest first, and no one else’s', async () => {
    const target = await createOrganization(app);
    const first = await importFile(target, await registryXlsx(ROWS.slice(0, 1)));
    const second = await importFile(target, await registryXlsx(ROWS.slice(1, 2)));
    const list = await app.gql(`{ importJobs(first: 10) { edges { node { id } } } }`, undefined, target.adminToken);
    expect(list.data.importJobs.edges.map((e: any) => e.node.id)).toEqual([second.id, first.id]);
  });
});
