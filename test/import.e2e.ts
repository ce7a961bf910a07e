import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { stream as excelStream } from 'exceljs';
import { Readable } from 'node:stream';
import { EmployeeRole } from '../src/kernel/role';
import {
  finishedJob,
  generatedRegistry,
  registrySnapshot,
  registryXlsx,
  RegistryRowCells,
  uploadRegistry,
} from './support/registry-files';
import { addEmployee, createOrganization, login, startTestApp, TestApp, TestOrganization } from './support/test-app';

const ROWS: RegistryRowCells[] = [
  // Two clients in one flat, one of them also owning a parking space; a legal entity; premises without clients.
  {
    city: 'Москва',
    street: 'ул. Ленина',
    house: '5А',
    premisesNumber: '12',
    entrance: 2,
    floor: 4,
    area: '54,30',
    accountNumber: '0012345',
    lastName: 'Иванов',
    firstName: 'Иван',
    middleName: 'Иванович',
    phones: '8 916 111-22-33; +7 495 123-45-67',
    email: 'Ivanov@Mail.ru',
    birthDate: '31.12.1980',
    role: 'Собственник',
    tags: 'Совет дома; VIP',
    externalSystem: '1С',
    externalId: 'C-1',
  },
  {
    city: 'Москва',
    street: 'ул. Ленина',
    house: '5А',
    premisesNumber: '12',
    accountNumber: '0012345',
    lastName: 'Иванова',
    firstName: 'Мария',
    phones: '+7 916 222-33-44',
    role: 'Член семьи',
  },
  {
    city: 'Москва',
    street: 'Ленина улица',
    house: '5а',
    premisesType: 'Машино-место',
    premisesNumber: 'П-3',
    accountNumber: '0099001',
    lastName: 'Иванов',
    firstName: 'Иван',
    middleName: 'Иванович',
    phones: '8 916 111-22-33',
    role: 'Собственник',
  },
  {
    city: 'Москва',
    street: 'ул. Ленина',
    house: '5А',
    premisesType: 'Коммерческое помещение',
    premisesNumber: '1Н',
    area: '120',
    accountNumber: '5500001',
    clientType: 'Юридическое лицо',
    organizationName: 'ООО «Ромашка»',
    inn: '7707083893',
    phones: '+7 495 765-43-21',
    role: 'Арендатор',
  },
  { city: 'Москва', street: 'пр-т Мира', house: '10', block: '2', premisesNumber: '7', accountNumber: '7000007' },
];

describe('Excel registry import', () => {
  let app: TestApp;
  let org: TestOrganization;

  beforeAll(async () => {
    app = await startTestApp({ IMPORT_BATCH_ROWS: '2', IMPORT_MAX_BYTES: String(200 * 1024) });
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  async function importFile(
    target: TestOrganization,
    file: Buffer,
    options: { mode?: string; sync?: boolean; fileName?: string } = {},
  ) {
    const answer = await uploadRegistry(app, target.adminToken, file, options);
    expect(answer).toMatchObject({ status: 202, body: { status: expect.stringMatching(/QUEUED|FAILED/) } });
    return finishedJob(app, target.adminToken, answer.body.id!);
  }

  const countOf = async (table: string, organizationId: string) =>
    Number(
      (await app.dataSource.query(`SELECT count(*) FROM ${table} WHERE organization_id = $1`, [organizationId]))[0]
        .count,
    );

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

  it('reports each bad row with its row, column and a message, imports the good ones, and returns the bad rows as errors.xlsx', async () => {
    const target = await createOrganization(app);
    const rows: RegistryRowCells[] = [
      {
        city: 'Тверь',
        street: 'ул. Мира',
        house: '1',
        premisesNumber: '1',
        lastName: 'Хороший',
        firstName: 'Житель',
        phones: '+7 916 600-00-01',
      },
      {
        city: 'Тверь',
        street: 'ул. Мира',
        house: '1',
        premisesNumber: '2',
        lastName: 'Сплохим',
        firstName: 'Телефоном',
        phones: '+7 916 600-00-02; 12-34',
      },
      { city: 'Тверь', street: 'ул. Мира', house: '', premisesNumber: '3', lastName: 'Без', firstName: 'Дома' },
      {
        city: 'Тверь',
        street: 'ул. Мира',
        house: '1',
        premisesNumber: '4',
        lastName: 'Неизвестная',
        firstName: 'Роль',
        role: 'Жилец',
      },
    ];
    const job = await importFile(target, await registryXlsx(rows));
    expect(job).toMatchObject({ status: 'COMPLETED', created: 2, failed: 2 });
    const errors = await app.gql(
      `query($id: String!) { importJob(id: $id) { errors(first: 50) { edges { node { row column code message messageEn rowSkipped } } } } }`,
      { id: job.id },
      target.adminToken,
    );
    const problems = errors.data.importJob.errors.edges.map((e: any) => e.node);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          row: 3,
          column: 'Телефоны',
          code: 'INVALID_PHONE',
          rowSkipped: false,
          message: expect.stringContaining('12-34'),
        }),
        expect.objectContaining({ row: 4, column: 'Дом', code: 'REQUIRED', rowSkipped: true }),
        expect.objectContaining({
          row: 5,
          column: 'Роль',
          code: 'UNKNOWN_CHOICE',
          rowSkipped: true,
          message: expect.stringContaining('Жилец'),
        }),
      ]),
    );
    expect(problems.every((p: any) => p.messageEn && p.message !== p.messageEn)).toBe(true);
    expect(await countOf('client', target.organizationId)).toBe(2);

    const response = await fetch(`${app.url}/imports/${job.id}/errors.xlsx`, {
      headers: { authorization: `Bearer ${target.adminToken}` },
    });
    expect(response.status).toBe(200);
    const reader = new excelStream.xlsx.WorkbookReader(Readable.from([Buffer.from(await response.arrayBuffer())]), {
      sharedStrings: 'cache',
      styles: 'cache',
      worksheets: 'emit',
    });
    const sheetRows: unknown[][] = [];
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<{ values: unknown[] }>) sheetRows.push([...row.values].slice(1));
      break;
    }
    const header = sheetRows[0] as string[];
    expect(header.slice(-2)).toEqual(['Ошибки', 'Строка исходного файла']);
    expect(sheetRows.slice(1).map((r) => r[r.length - 1])).toEqual([3, 4, 5]);
    expect(String(sheetRows[1][header.indexOf('Телефоны')])).toBe('+7 916 600-00-02; 12-34');
    expect(String(sheetRows[2][header.indexOf('Ошибки')])).toContain('Дом');

    const viewer = await login(app, (await addEmployee(app, target.organizationId, EmployeeRole.VIEWER)).email);
    expect(
      (await fetch(`${app.url}/imports/${job.id}/errors.xlsx`, { headers: { authorization: `Bearer ${viewer}` } }))
        .status,
    ).toBe(403);
    const stranger = await createOrganization(app);
    const foreign = await fetch(`${app.url}/imports/${job.id}/errors.xlsx`, {
      headers: { authorization: `Bearer ${stranger.adminToken}` },
    });
    expect(foreign.status).toBe(404);
    expect(
      (await app.gql(`query($id: String!) { importJob(id: $id) { id } }`, { id: job.id }, stranger.adminToken))
        .errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');
  });

  describe('files refused as a whole: one clear message, nothing written', () => {
    const zipBomb = () => {
      // One deflated entry that inflates 1,000-fold: declared in the central directory like any zip.
      const data = Buffer.alloc(20 * 1024 * 1024);
      const compressed = deflateRawSync(data, { level: 9 });
      const name = Buffer.from('xl/worksheets/sheet1.xml');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(compressed.length, 20);
      central.writeUInt32LE(data.length, 24);
      central.writeUInt16LE(name.length, 28);
      const end = Buffer.alloc(22);
      const centralOffset = local.length + name.length + compressed.length;
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(1, 8);
      end.writeUInt16LE(1, 10);
      end.writeUInt32LE(central.length + name.length, 12);
      end.writeUInt32LE(centralOffset, 16);
      return Buffer.concat([local, name, compressed, central, name, end]);
    };
    const ole = (withEncryption: boolean) => {
      const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      const body = Buffer.alloc(4096);
      if (withEncryption) Buffer.from('EncryptionInfo', 'utf16le').copy(body, 1024);
      return Buffer.concat([header, body]);
    };
    const cases: [string, () => Promise<Buffer> | Buffer, string][] = [
      ['an empty file', () => Buffer.alloc(0), 'EMPTY'],
      ['a header without rows', () => registryXlsx([]), 'EMPTY'],
      [
        'a picture, not a spreadsheet',
        () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), Buffer.alloc(2048, 7)]),
        'NOT_A_SPREADSHEET',
      ],
      ['a password-protected workbook', () => ole(true), 'PASSWORD_PROTECTED'],
      ['an old .xls workbook', () => ole(false), 'LEGACY_XLS'],
      ['a zip bomb', zipBomb, 'ZIP_BOMB'],
      [
        'a workbook with no registry sheet',
        async () => {
          const output = new (await import('node:stream')).PassThrough();
          const chunks: Buffer[] = [];
          output.on('data', (c: Buffer) => chunks.push(c));
          const workbook = new excelStream.xlsx.WorkbookWriter({ stream: output });
          workbook.addWorksheet('Инструкция').addRow(['Колонка', 'Обязательна']).commit();
          await workbook.commit();
          return Buffer.concat(chunks);
        },
        'NO_DATA_SHEET',
      ],
      [
        'a header that does not match the template',
        () => registryXlsx([{ city: 'Москва', house: '1', premisesNumber: '1' }], ['city', 'house', 'premisesNumber']),
        'BAD_HEADER',
      ],
      ['a file over the size limit', () => Buffer.alloc(300 * 1024, 'x'), 'TOO_LARGE'],
    ];
    it.each(cases)('%s', async (_name, makeFile, code) => {
      const target = await createOrganization(app);
      const job = await importFile(target, await makeFile());
      expect(job).toMatchObject({ status: 'FAILED', error: { code } });
      expect(job.error.message).toMatch(/[а-я]/);
      expect(job.error.messageEn).toMatch(/[a-z]/);
      for (const table of ['building', 'premises', 'client', 'audit_entry'])
        expect(await countOf(table, target.organizationId)).toBe(0);
    });

    it('names the missing and unknown columns of a wrong header', async () => {
      const file = await registryXlsx(
        [{ city: 'Москва', house: '1', premisesNumber: '1' }],
        ['city', 'house', 'premisesNumber'],
      );
      const job = await importFile(await createOrganization(app), file);
      expect(job.error.message).toContain('Улица');
    });
  });

  it('refuses an upload without permission, without a file or with a wrong mode, before any job exists', async () => {
    const viewer = await login(app, (await addEmployee(app, org.organizationId, EmployeeRole.VIEWER)).email);
    expect((await uploadRegistry(app, viewer, await registryXlsx(ROWS))).status).toBe(403);
    const wrongMode = await uploadRegistry(app, org.adminToken, await registryXlsx(ROWS), { mode: 'OVERWRITE' });
    expect(wrongMode).toMatchObject({ status: 400, body: { code: 'BAD_USER_INPUT' } });
    const noFile = await fetch(`${app.url}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.adminToken}` },
      body: new FormData(),
    });
    expect(noFile.status).toBe(400);
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
