import { Readable } from 'node:stream';
import { stream as excelStream, Workbook } from 'exceljs';
import JSZip from 'jszip';
import { addEmployee, createOrganization, login, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { EmployeeRole } from '../src/kernel/role';
import { REGISTRY_COLUMNS } from '../src/imports/registry-columns';
import { finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';

/** Every sheet's rows as cell texts, by sheet name, read with the streaming reader. */
async function streamedSheets(file: Buffer): Promise<Map<string, string[][]>> {
  const reader = new excelStream.xlsx.WorkbookReader(Readable.from([file]), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
  });
  const sheets = new Map<string, string[][]>();
  for await (const sheet of reader) {
    const rows: string[][] = [];
    for await (const row of sheet as AsyncIterable<{ values: unknown[] }>)
      rows.push(row.values.slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
    sheets.set((sheet as unknown as { name: string }).name, rows);
  }
  return sheets;
}

/** A sheet's <dataValidation> elements: their attributes and first formula, XML entities decoded. */
async function dataValidations(file: Buffer, part: string): Promise<Record<string, string>[]> {
  const xml = await (await JSZip.loadAsync(file)).file(part)!.async('string');
  const decode = (text: string) =>
    text
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<dataValidation\s([^>]*)>\s*<formula1>([^<]*)<\/formula1>/g)].map(
    ([, attributes, formula]) => ({
      ...Object.fromEntries(
        [...attributes.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, decode(value)]),
      ),
      formula: decode(formula),
    }),
  );
}

/** 0 → A, 25 → Z, 26 → AA. */
function columnLetter(index: number): string {
  return index < 26
    ? String.fromCharCode(65 + index)
    : columnLetter(Math.floor(index / 26) - 1) + String.fromCharCode(65 + (index % 26));
}

/** The registry sheet's rows read with the streaming reader (the full loader spends seconds expanding the drop-downs' ranges). */
async function streamedRegistryRows(response: Response): Promise<string[][]> {
  const reader = new excelStream.xlsx.WorkbookReader(Readable.from([Buffer.from(await response.arrayBuffer())]), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
  });
  const rows: string[][] = [];
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<{ values: unknown[] }>) {
      rows.push(
        REGISTRY_COLUMNS.map((_, i) =>
          row.values[i + 1] === null || row.values[i + 1] === undefined ? '' : String(row.values[i + 1]),
        ),
      );
    }
    break;
  }
  return rows;
}

describe('registry template and export (.xlsx)', () => {
  let app: TestApp;
  let org: TestOrganization;

  async function download(path: string, token?: string): Promise<Response> {
    return fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  }

  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('refuses both files without a staff token, with the same error codes as the API', async () => {
    const anonymous = await download('/imports/template.xlsx');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED', messageEn: 'Authentication required' });
    const viewer = await login(app, (await addEmployee(app, org.organizationId, EmployeeRole.VIEWER)).email);
    const forbidden = await download('/exports/registry.xlsx', viewer);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect((await download('/imports/template.xlsx', viewer)).status).toBe(200);
  });

  it('serves the template: Russian headers, drop-downs for enumerated columns, an instruction and the allowed values', async () => {
    const response = await download('/imports/template.xlsx', org.adminToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const file = Buffer.from(await response.arrayBuffer());
    const sheets = await streamedSheets(file);
    expect([...sheets.keys()]).toEqual(['Реестр', 'Инструкция', 'Значения']);
    expect(sheets.get('Реестр')).toEqual([REGISTRY_COLUMNS.map((c) => c.header)]);

    // The drop-downs as the sheet declares them (exceljs's full loader would expand each to a million cells).
    const rules = await dataValidations(file, 'xl/worksheets/sheet1.xml');
    const letter = (key: string) => columnLetter(REGISTRY_COLUMNS.findIndex((c) => c.key === key));
    const roleRule = rules.find((rule) => rule.sqref.startsWith(`${letter('role')}2:${letter('role')}`))!;
    expect(roleRule).toMatchObject({ type: 'list', allowBlank: '1', showErrorMessage: '1' });
    expect(Number(roleRule.sqref.split(':')[1].slice(letter('role').length))).toBeGreaterThanOrEqual(5000);
    expect(roleRule.formula).toMatch(/^'Значения'!\$[A-Z]+\$2:\$[A-Z]+\$7$/);
    expect(rules.some((rule) => rule.sqref.startsWith(`${letter('lastName')}2:`))).toBe(false);

    const instruction = sheets.get('Инструкция')!;
    expect(instruction[0].slice(0, 4)).toEqual(['Колонка', 'Обязательна', 'Как заполнять', 'Пример']);
    expect(instruction.find((row) => row[0] === 'Номер помещения')!.slice(0, 4)).toEqual([
      'Номер помещения',
      'Да',
      'Текст: ведущие нули сохраняются',
      '12',
    ]);

    const values = sheets.get('Значения')!;
    const roleValues = values
      .slice(1)
      .map((row) => row[values[0].indexOf('Роль')])
      .filter(Boolean);
    expect(roleValues).toEqual(['Собственник', 'Совладелец', 'Арендатор', 'Член семьи', 'Представитель', 'Другое']);
  });

  it("exports the organization's premises, accounts and clients in the template's format, a row per client, nothing of another organization", async () => {
    const gql = (query: string, variables: Record<string, unknown> = {}) => app.gql(query, variables, org.adminToken);
    const building = await gql(
      `mutation { createBuilding(input: { city: "Тула", street: "ул. Экспортная", house: "3", block: "1" }) { building { id } } }`,
    );
    const buildingId = building.data.createBuilding.building.id;
    const flat = (
      await gql(
        `mutation { createPremises(input: { buildingId: "${buildingId}", number: "007", entrance: 2, floor: 3, area: "54.30" }) { premises { id } } }`,
      )
    ).data.createPremises.premises.id;
    await gql(
      `mutation { createPremises(input: { buildingId: "${buildingId}", number: "1", type: PARKING }) { premises { id } } }`,
    );
    const owner = await gql(`mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } } }`, {
      input: {
        lastName: 'Экспортов',
        firstName: 'Эдуард',
        middleName: 'Эдуардович',
        phone: '8 916 700-11-22',
        extraPhones: ['+7 495 700-11-22'],
        birthDate: '1980-12-31',
        inn: '500100732259',
        externalIds: [{ system: '1С', value: 'C-77' }],
      },
    });
    const ownerId = owner.data.createClient.client.id;
    const company = await gql(
      `mutation { createClient(input: { type: LEGAL_ENTITY, organizationName: "ООО «Экспорт»" }) { client { id } } }`,
    );
    await gql(
      `mutation { attachClientToPremises(input: { clientId: "${ownerId}", premisesId: "${flat}", role: OWNER, keepOnSync: true }) { occupancy { id } } }`,
    );
    await gql(
      `mutation { attachClientToPremises(input: { clientId: "${company.data.createClient.client.id}", premisesId: "${flat}", role: TENANT }) { occupancy { id } } }`,
    );
    await gql(`mutation { addClientTag(input: { clientId: "${ownerId}", tagName: "Совет дома" }) { client { id } } }`);
    await gql(
      `mutation { createAccount(input: { number: "0012345", premisesId: "${flat}", ownerClientId: "${ownerId}", hiddenFromResident: true }) { account { id } } }`,
    );

    const other = await createOrganization(app);
    await app.gql(
      `mutation { createBuilding(input: { city: "Тула", street: "Чужая", house: "1" }) { building { id } } }`,
      {},
      other.adminToken,
    );

    const response = await download('/exports/registry.xlsx', org.adminToken);
    expect(response.status).toBe(200);
    const rows = await streamedRegistryRows(response);
    expect(rows[0]).toEqual(REGISTRY_COLUMNS.map((c) => c.header));
    const records = rows.slice(1).map((row) => Object.fromEntries(REGISTRY_COLUMNS.map((c, i) => [c.key, row[i]])));
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.city === 'Тула' && r.street === 'ул. Экспортная')).toBe(true);
    const flatRows = records.filter((r) => r.premisesType === 'Квартира');
    expect(flatRows).toHaveLength(2);
    for (const row of flatRows)
      expect(row).toMatchObject({ premisesNumber: '007', entrance: '2', floor: '3', area: '54.30', block: '1' });
    // The account goes on the premises' first row: the client attached first.
    const person = flatRows[0];
    expect(person).toMatchObject({
      accountNumber: '0012345',
      hiddenFromResident: 'Да',
      paymentsEnabled: 'Да',
      lastName: 'Экспортов',
      clientType: 'Физическое лицо',
      firstName: 'Эдуард',
      middleName: 'Эдуардович',
      phones: '+79167001122; +74957001122',
      birthDate: '31.12.1980',
      inn: '500100732259',
      role: 'Собственник',
      keepOnSync: 'Да',
      externalSpace: 'Эксплуатация',
      externalSystem: '1С',
      externalId: 'C-77',
      tags: 'Совет дома',
    });
    const [second] = flatRows.slice(1);
    const parking = records.find((r) => r.premisesType === 'Машино-место')!;
    expect(second).toMatchObject({
      organizationName: 'ООО «Экспорт»',
      clientType: 'Юридическое лицо',
      role: 'Арендатор',
      keepOnSync: 'Нет',
      lastName: '',
      accountNumber: '',
    });
    expect(parking).toMatchObject({
      premisesType: 'Машино-место',
      premisesNumber: '1',
      accountNumber: '',
      lastName: '',
      organizationName: '',
    });

    // The admin read the owner's personal data through the export: recorded, once per card that has any.
    const readings = async () =>
      (
        await app.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_entry WHERE organization_id = $1 AND entity_id = $2 AND action = 'personal_data_viewed' AND after ->> 'via' = 'registry export'`,
          [org.organizationId, ownerId],
        )
      )[0].n;
    expect(await readings()).toBe(1);
    // A role the organization does not let read personal data gets it masked, and nothing is recorded.
    await gql(
      `mutation { updateOrganizationSettings(input: { personalDataRoles: [DISPATCHER] }) { organization { personalDataRoles } } }`,
    );
    const manager = await login(app, (await addEmployee(app, org.organizationId, EmployeeRole.MANAGER)).email);
    const masked = (await streamedRegistryRows(await download('/exports/registry.xlsx', manager)))
      .slice(1)
      .map((row) => Object.fromEntries(REGISTRY_COLUMNS.map((c, i) => [c.key, row[i]])));
    expect(masked.find((r) => r.lastName === 'Экспортов')).toMatchObject({
      inn: '•••• 59',
      birthDate: '•••• 80',
      lastName: 'Экспортов',
    });
    expect(await readings()).toBe(1);
    await gql(
      `mutation { updateOrganizationSettings(input: { personalDataRoles: [ADMIN, MANAGER] }) { organization { personalDataRoles } } }`,
    );
  });

  it('guards formula-looking texts in the export with an apostrophe, and importing the export back changes nothing', async () => {
    const target = await createOrganization(app);
    const gql = (query: string, variables: Record<string, unknown> = {}) =>
      app.gql(query, variables, target.adminToken);
    const building = await gql(
      `mutation { createBuilding(input: { city: "Тула", street: "ул. Формульная", house: "1" }) { building { id } } }`,
    );
    const flat = (
      await gql(
        `mutation { createPremises(input: { buildingId: "${building.data.createBuilding.building.id}", number: "1" }) { premises { id } } }`,
      )
    ).data.createPremises.premises.id;
    const dangerous = "=cmd|' /C calc'!A0";
    const company = await gql(
      `mutation($input: CreateClientInput!) { createClient(input: $input) { client { id } } }`,
      { input: { type: 'LEGAL_ENTITY', organizationName: dangerous, phone: '+7 916 700-33-44' } },
    );
    expect(company.errors).toBeUndefined();
    const clientId = company.data.createClient.client.id;
    await gql(
      `mutation { attachClientToPremises(input: { clientId: "${clientId}", premisesId: "${flat}", role: TENANT }) { occupancy { id } } }`,
    );
    await gql(`mutation { addClientTag(input: { clientId: "${clientId}", tagName: "@SUM(A1)" }) { client { id } } }`);

    const exported = Buffer.from(await (await download('/exports/registry.xlsx', target.adminToken)).arrayBuffer());
    const [, row] = await streamedRegistryRows(new Response(exported));
    const record = Object.fromEntries(REGISTRY_COLUMNS.map((c, i) => [c.key, row[i]]));
    // A clerk who re-saves it as CSV sends no formula onward; a phone with its + stays as it is.
    expect(record).toMatchObject({ organizationName: `'${dangerous}`, tags: "'@SUM(A1)", phones: '+79167003344' });

    const answer = await uploadRegistry(app, target.adminToken, exported);
    const job = await finishedJob(app, target.adminToken, answer.body.id!);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, failed: 0 });
    const card = await gql(`{ client(id: "${clientId}") { organizationName tags { name } } }`);
    expect(card.data.client).toEqual({ organizationName: dangerous, tags: [{ name: '@SUM(A1)' }] });
  });

  it('imports a file with columns the template lacks, saying which it left out', async () => {
    const target = await createOrganization(app);
    const file = await registryXlsx(
      [{ city: 'Тула', street: 'ул. Лишняя', house: '2', premisesNumber: '5' }],
      ['city', 'street', 'house', 'premisesNumber'],
    );
    // The same sheet with an accountant's note column added after the template's.
    const workbook = new Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    sheet.getCell('E1').value = 'Комментарий бухгалтерии';
    sheet.getCell('E2').value = 'сверено';
    const answer = await uploadRegistry(app, target.adminToken, Buffer.from(await workbook.xlsx.writeBuffer()));
    const job = await finishedJob(app, target.adminToken, answer.body.id!);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 0 });
    const problems = await app.gql(
      `query($id: String!) { importJob(id: $id) { errors { edges { node { row code message rowSkipped } } } } }`,
      { id: answer.body.id },
      target.adminToken,
    );
    expect(problems.data.importJob.errors.edges.map((e: any) => e.node)).toEqual([
      {
        row: 1,
        code: 'IGNORED_COLUMNS',
        message: 'Столбцы не из шаблона не загружены: «Комментарий бухгалтерии»',
        rowSkipped: false,
      },
    ]);
  });
});
