import { finishedJob, sheetlessWorkbook, uploadRegistry, workbookXlsx } from './support/registry-files';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

/**
 * Files as clerks really make them (#24), uploaded through the API: each is imported (or refused with
 * the right message) end to end. The extra-columns file and the guarded export round trip are in
 * test/registry-excel.e2e.ts; ё/е and the conflicts in test/import-conflicts.e2e.ts.
 */
describe('registry files as clerks make them, uploaded', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const ADDRESS = ['Город', 'Улица', 'Дом', 'Номер помещения'];

  async function imported(
    file: Buffer,
    fileName = 'реестр.xlsx',
  ): Promise<{ target: TestOrganization; job: Record<string, any> }> {
    const target = await createOrganization(app);
    const answer = await uploadRegistry(app, target.adminToken, file, { fileName });
    expect(answer.status).toBe(202);
    return { target, job: await finishedJob(app, target.adminToken, answer.body.id!) };
  }

  const rowsOf = (sql: string, organizationId: string) =>
    app.dataSource.query(sql, [organizationId]) as Promise<Record<string, unknown>[]>;

  it('a cp1251 CSV re-saved by LibreOffice, whose «Площадь, м²» became «Площадь, м?»', async () => {
    // Node has no cp1251 encoder: Cyrillic letters map by offset, anything cp1251 lacks (²) is written as «?».
    const cp1251 = (text: string) =>
      Buffer.from(
        [...text].map((c) => {
          const code = c.codePointAt(0)!;
          return code < 0x80 ? code : code >= 0x410 && code <= 0x44f ? code - 0x350 : 0x3f;
        }),
      );
    const { target, job } = await imported(
      cp1251('Город;Улица;Дом;Номер помещения;Площадь, м²\r\nТула;ул. Мира;1;5;54,3\r\n'),
      'реестр.csv',
    );
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    expect(
      await rowsOf(`SELECT number, area::text FROM premises WHERE organization_id = $1`, target.organizationId),
    ).toEqual([{ number: '5', area: '54.30' }]);
  });

  it('a title row and a blank row above the header', async () => {
    const file = await workbookXlsx([
      { name: 'Лист1', rows: [['Реестр помещений УК «Тест» на 01.12'], [], ADDRESS, ['Тула', 'ул. Мира', '1', '5']] },
    ]);
    const { target, job } = await imported(file);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    expect(await rowsOf(`SELECT number FROM premises WHERE organization_id = $1`, target.organizationId)).toEqual([
      { number: '5' },
    ]);
  });

  it('the registry sheet placed second, after «Примечания»', async () => {
    const file = await workbookXlsx([
      { name: 'Примечания', rows: [['Реестр составлен бухгалтерией'], ['Номера ЛС сверены с 1С']] },
      { name: 'Данные', rows: [ADDRESS, ['Тула', 'ул. Мира', '1', '6']] },
    ]);
    const { target, job } = await imported(file);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    expect(await rowsOf(`SELECT number FROM premises WHERE organization_id = $1`, target.organizationId)).toEqual([
      { number: '6' },
    ]);
  });

  it('numbers shown through a format of zeros keep the zeros the clerk saw: 124 in «000000» is account «000124»', async () => {
    const file = await workbookXlsx([
      {
        name: 'Реестр',
        rows: [
          [...ADDRESS, 'Лицевой счёт'],
          ['Тула', 'ул. Мира', 1, 7, 124],
        ],
        formats: { 5: '000000' },
      },
    ]);
    const { target, job } = await imported(file);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    expect(await rowsOf(`SELECT number FROM account WHERE organization_id = $1`, target.organizationId)).toEqual([
      { number: '000124' },
    ]);
  });

  it('address writings of one building make one building: «пр-кт Мира, 7-А» = «проспект Мира, 7А»; «7 корп. 1» = «7» with «1» in «Корпус»', async () => {
    const file = await workbookXlsx([
      {
        name: 'Реестр',
        rows: [
          [...ADDRESS, 'Корпус'],
          ['Тула', 'пр-кт Мира', '7-А', '1', ''],
          ['Тула', 'проспект Мира', '7А', '2', ''],
          ['Тула', 'Мира проспект', 'д. 7 а', '3', ''],
          ['Тула', 'проспект Мира', '7 корп. 1', '4', ''],
          ['Тула', 'пр-кт Мира', '7', '5', '1'],
        ],
      },
    ]);
    const { target, job } = await imported(file);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 5, failed: 0 });
    const buildings = await rowsOf(
      `SELECT b.id, count(p.id)::int AS premises FROM building b JOIN premises p ON p.organization_id = b.organization_id AND p.building_id = b.id WHERE b.organization_id = $1 GROUP BY b.id ORDER BY 2 DESC`,
      target.organizationId,
    );
    expect(buildings.map((b) => b.premises)).toEqual([3, 2]);
  });

  it('a plain text named .xlsx is «not a spreadsheet», not a header listing its sentences', async () => {
    const { job } = await imported(
      Buffer.from('Добрый день! Высылаю реестр, как договаривались.\nС уважением, бухгалтерия.\n'),
      'Реестр.xlsx',
    );
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'NOT_A_SPREADSHEET' } });
    expect(job.error.message).not.toContain('Добрый день');
  });

  it('a workbook without sheets has «no data sheet»', async () => {
    const { job } = await imported(await sheetlessWorkbook());
    expect(job).toMatchObject({ status: 'FAILED', error: { code: 'NO_DATA_SHEET' } });
  });

  it('«Площадь» without the unit and «Телефон» in the singular are the template’s columns', async () => {
    const file = await workbookXlsx([
      {
        name: 'Реестр',
        rows: [
          [...ADDRESS, 'Площадь', 'Фамилия', 'Имя', 'Телефон'],
          ['Тула', 'ул. Мира', '1', '8', '40,5', 'Площадин', 'Пётр', '+7 916 800-00-08'],
        ],
      },
    ]);
    const { target, job } = await imported(file);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    expect(await rowsOf(`SELECT area::text FROM premises WHERE organization_id = $1`, target.organizationId)).toEqual([
      { area: '40.50' },
    ]);
    expect(await rowsOf(`SELECT phone FROM client WHERE organization_id = $1`, target.organizationId)).toEqual([
      { phone: '+79168000008' },
    ]);
  });
});
