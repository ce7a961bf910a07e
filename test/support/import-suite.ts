import { finishedJob, RegistryRowCells, uploadRegistry } from './registry-files';
import type { TestApp, TestOrganization } from './test-app';

/** What the registry import suites (test/import*.e2e.ts) share: a registry of five rows, an upload run to its end, a row count. */

export const ROWS: RegistryRowCells[] = [
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

export interface ImportOptions {
  mode?: string;
  sync?: boolean;
  fileName?: string;
}

/** Uploads `file` as `target`'s admin and waits for the job to finish; the job as the API reports it. */
export async function importRegistry(
  app: TestApp,
  target: TestOrganization,
  file: Buffer,
  options: ImportOptions = {},
) {
  const answer = await uploadRegistry(app, target.adminToken, file, options);
  expect(answer).toMatchObject({ status: 202, body: { status: expect.stringMatching(/QUEUED|FAILED/) } });
  return finishedJob(app, target.adminToken, answer.body.id!);
}

/** How many rows of `table` belong to the organization. */
export async function countRows(app: TestApp, table: string, organizationId: string): Promise<number> {
  return Number(
    (await app.dataSource.query(`SELECT count(*) FROM ${table} WHERE organization_id = $1`, [organizationId]))[0].count,
  );
}
