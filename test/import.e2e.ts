import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { registrySnapshot, registryXlsx, RegistryRowCells } from './support/registry-files';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

import { countRows, ImportOptions, importRegistry, ROWS } from './support/import-suite';

describe('Excel registry import', () => {
  let app: TestApp;
  let org: TestOrganization;

  beforeAll(async () => {
    app = await startTestApp({ IMPORT_BATCH_ROWS: '2', IMPORT_MAX_BYTES: String(200 * 1024) });
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  const importFile = (target: TestOrganization, file: Buffer, options: ImportOptions = {}) =>
    importRegistry(app, target, file, options);
  const countOf = (table: string, organizationId: string) => countRows(app, table, organizationId);

  it('imports a file: buildings by normalized address, premises, accounts, clients, attachments, tags and identifiers, audited as the import', async () => {
    const job = await importFile(org, await registryXlsx(ROWS));
    expect(job).toMatchObject({
      status: 'COMPLETED',
      mode: 'MERGE',
      totalRows: 5,
      processedRows: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      failed: 0,
      detached: 0,
      percent: 100,
      error: null,
    });
    const snapshot = await registrySnapshot(app.dataSource, org.organizationId);
    // «ул. Ленина 5А» and «Ленина улица 5а» are one building.
    expect(snapshot.buildings).toHaveLength(2);
    expect(snapshot.premises).toHaveLength(4);
    expect(snapshot.accounts.map((a: any) => a.number)).toEqual(['0012345', '0099001', '5500001', '7000007']);
    const ivanov = (snapshot.clients as any[]).find((c) => c.last_name === 'Иванов');
    expect(ivanov).toMatchObject({
      phone: '+79161112233',
      extra_phones: ['+74951234567'],
      email: 'ivanov@mail.ru',
      birth_date: '1980-12-31',
    });
    expect(snapshot.clients).toHaveLength(3);
    expect(
      (snapshot.occupancies as any[]).map((o) => [
        o.premises.split('/').slice(1).join('/'),
        o.name_key,
        o.role,
        o.source,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['FLAT/12', 'иванов иван иванович', 'OWNER', 'IMPORT'],
        ['FLAT/12', 'иванова мария', 'FAMILY_MEMBER', 'IMPORT'],
        ['PARKING/П3', 'иванов иван иванович', 'OWNER', 'IMPORT'],
        ['COMMERCIAL/1Н', 'ооо ромашка', 'TENANT', 'IMPORT'],
      ]),
    );
    expect((snapshot.tags as any[]).map((t) => t.name).sort()).toEqual(['VIP', 'Совет дома']);
    expect(snapshot.externalIds).toEqual([
      { space: 'OPERATION', system: '1С', value: 'C-1', name_key: 'иванов иван иванович' },
    ]);
    const audit = await app.dataSource.query(
      `SELECT DISTINCT channel, channel_ref AS "channelRef", actor_employee_id AS "actor" FROM audit_entry WHERE organization_id = $1`,
      [org.organizationId],
    );
    expect(audit).toEqual([{ channel: 'IMPORT', channelRef: job.id, actor: org.adminId }]);
  });

  it('imports a workbook LibreOffice saved (test/fixtures/registry-libreoffice.xlsx), then finds nothing to change in it', async () => {
    const target = await createOrganization(app);
    const file = readFileSync(join(__dirname, 'fixtures', 'registry-libreoffice.xlsx'));
    const job = await importFile(target, file, { fileName: 'registry-libreoffice.xlsx' });
    expect(job).toMatchObject({ status: 'COMPLETED', processedRows: 4, created: 4, failed: 0 });
    const snapshot = await registrySnapshot(app.dataSource, target.organizationId);
    expect(snapshot.accounts.map((a: any) => a.number)).toEqual(['000771', '0012345', '0098765']);
    expect((snapshot.premises as any[]).map((p) => [p.key.split('/').slice(1).join('/'), p.floor, p.area])).toEqual(
      expect.arrayContaining([
        ['FLAT/12', 4, '54.30'],
        ['PARKING/003', -1, '13.25'],
        ['NON_RESIDENTIAL/1Н', 1, '120.00'],
      ]),
    );
    expect(snapshot.clients).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          last_name: 'Иванов',
          phone: '+79161112233',
          extra_phones: ['+74951234567'],
          birth_date: '1980-12-31',
          inn: '500100732259',
          snils: '11223344595',
          passport_series: '4510',
        }),
        expect.objectContaining({ type: 'LEGAL_ENTITY', organization_name: 'ООО «Ромашка»', inn: '7707083893' }),
        expect.objectContaining({
          type: 'SOLE_PROPRIETOR',
          last_name: 'Петрова',
          phone: '+79161234567',
          birth_date: '1975-03-05',
        }),
      ]),
    );
    expect((snapshot.tags as any[]).map((t) => t.name).sort()).toEqual(['Должник', 'Совет дома']);
    expect(await importFile(target, file)).toMatchObject({ status: 'COMPLETED', unchanged: 4, created: 0, updated: 0 });
  });

  it('re-importing the same file reports every row unchanged and writes nothing', async () => {
    const auditBefore = await countOf('audit_entry', org.organizationId);
    const stampsBefore = await app.dataSource.query(
      `SELECT max(updated_at) AS at FROM client WHERE organization_id = $1`,
      [org.organizationId],
    );
    const job = await importFile(org, await registryXlsx(ROWS));
    expect(job).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, unchanged: 5, failed: 0 });
    expect(await countOf('audit_entry', org.organizationId)).toBe(auditBefore);
    expect(
      await app.dataSource.query(`SELECT max(updated_at) AS at FROM client WHERE organization_id = $1`, [
        org.organizationId,
      ]),
    ).toEqual(stampsBefore);
  });

  it('keeps a family sharing one phone as two clients (the Orlov case): the owner keeps his name and role, the row says whose login the phone is', async () => {
    const target = await createOrganization(app);
    const flat = {
      city: 'Казань',
      street: 'ул. Орловская',
      house: '1',
      premisesNumber: '15',
      accountNumber: '1500015',
    };
    const family: RegistryRowCells[] = [
      {
        ...flat,
        lastName: 'Орлов',
        firstName: 'Игорь',
        middleName: 'Петрович',
        phones: '+7 916 440-55-55',
        role: 'Собственник',
      },
      {
        ...flat,
        lastName: 'Орлова',
        firstName: 'Ирина',
        middleName: 'Сергеевна',
        phones: '8 (916) 440-55-55',
        role: 'Совладелец',
      },
    ];
    const job = await importFile(target, await registryXlsx(family));
    expect(job).toMatchObject({ status: 'COMPLETED', created: 2, failed: 0 });
    const clientsOf = async () =>
      (await app.dataSource.query(
        `SELECT c.id, c.last_name, c.first_name, c.phone, c.extra_phones, o.role FROM client c JOIN occupancy o ON o.organization_id = c.organization_id AND o.client_id = c.id WHERE c.organization_id = $1 ORDER BY c.last_name`,
        [target.organizationId],
      )) as any[];
    const [igor, irina] = await clientsOf();
    expect(igor).toMatchObject({
      last_name: 'Орлов',
      first_name: 'Игорь',
      phone: '+79164405555',
      extra_phones: [],
      role: 'OWNER',
    });
    expect(irina).toMatchObject({
      last_name: 'Орлова',
      first_name: 'Ирина',
      phone: null,
      extra_phones: ['+79164405555'],
      role: 'CO_OWNER',
    });
    const errors = await app.gql(
      `query($id: String!) { importJob(id: $id) { errors(first: 10) { edges { node { row column code message messageEn rowSkipped } } } } }`,
      { id: job.id },
      target.adminToken,
    );
    expect(errors.data.importJob.errors.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({
        row: 3,
        code: 'PHONE_SHARED',
        rowSkipped: false,
        message: expect.stringContaining('«Орлов Игорь Петрович»'),
        messageEn: expect.stringContaining('Орлов Игорь Петрович'),
      }),
    ]);

    // A caller who phoned from another number before the file listed him: his ticket follows the number to his new card.
    const [{ id: premisesId }] = await app.dataSource.query(`SELECT id FROM premises WHERE organization_id = $1`, [
      target.organizationId,
    ]);
    const filed = await app.gql(
      `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id client { id } } } }`,
      { input: { premisesId, description: 'Течёт кран', contactName: 'Пётр', contactPhone: '+7 916 440-66-66' } },
      target.adminToken,
    );
    expect(filed.data.createTicket.ticket.client).toBeNull();
    const withSon = [
      ...family,
      {
        ...flat,
        lastName: 'Орлов',
        firstName: 'Пётр',
        middleName: 'Игоревич',
        phones: '+7 916 440-66-66',
        role: 'Член семьи',
      },
    ];
    expect(await importFile(target, await registryXlsx(withSon))).toMatchObject({
      status: 'COMPLETED',
      created: 1,
      unchanged: 2,
      failed: 0,
    });
    const son = (await clientsOf()).find((c) => c.first_name === 'Пётр');
    expect(
      (await app.gql(`{ ticket(id: "${filed.data.createTicket.ticket.id}") { client { id } } }`, {}, target.adminToken))
        .data.ticket.client,
    ).toEqual({ id: son.id });

    // Ирина's parking space, listed with the family phone only: her card (the phone is her contact phone), not a new one.
    const withParking = [
      ...withSon,
      {
        ...flat,
        premisesType: 'Машино-место',
        premisesNumber: 'М-15',
        accountNumber: '',
        lastName: 'Орлова',
        firstName: 'Ирина',
        middleName: 'Сергеевна',
        phones: '+7 916 440-55-55',
        role: 'Собственник',
      },
    ];
    expect(await importFile(target, await registryXlsx(withParking))).toMatchObject({
      status: 'COMPLETED',
      created: 1,
      unchanged: 3,
      failed: 0,
    });
    expect((await clientsOf()).filter((c) => c.first_name === 'Ирина').map((c) => c.id)).toEqual([irina.id, irina.id]);

    // The same file again: nothing changes, nothing is written, no row warns again.
    const auditBefore = await countOf('audit_entry', target.organizationId);
    const again = await importFile(target, await registryXlsx(withParking));
    expect(again).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, unchanged: 4, failed: 0 });
    expect(await countOf('audit_entry', target.organizationId)).toBe(auditBefore);
    expect(await countOf('client', target.organizationId)).toBe(3);
  });
});
