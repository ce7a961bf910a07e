import { deflateRawSync } from 'node:zlib';
import { stream as excelStream } from 'exceljs';
import { Readable } from 'node:stream';
import { EmployeeRole } from '../src/kernel/role';
import { registryXlsx, RegistryRowCells, uploadRegistry } from './support/registry-files';
import { addEmployee, createOrganization, login, startTestApp, TestApp, TestOrganization } from './support/test-app';

import { countRows, ImportOptions, importRegistry, ROWS } from './support/import-suite';

describe('Excel registry import: bad rows, refused files and uploads', () => {
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
});
