import { stream as excelStream } from 'exceljs';
import JSZip from 'jszip';
import { PassThrough } from 'node:stream';
import { DataSource } from 'typeorm';
import { REGISTRY_COLUMNS, RegistryKey } from '../../src/imports/registry-columns';
import type { TestApp } from './test-app';

export type RegistryRowCells = Partial<Record<RegistryKey, string | number>>;

/** An .xlsx with the template's headers (or the given ones) and these rows, written by exceljs' streaming writer. */
export async function registryXlsx(
  rows: RegistryRowCells[],
  keys: readonly RegistryKey[] = REGISTRY_COLUMNS.map((c) => c.key),
  extraSheets: string[] = [],
): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => output.on('end', resolve));
  const workbook = new excelStream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Реестр');
  const headers = new Map(REGISTRY_COLUMNS.map((c) => [c.key, c.header]));
  sheet.addRow(keys.map((k) => headers.get(k) ?? k)).commit();
  for (const row of rows) sheet.addRow(keys.map((k) => row[k] ?? null)).commit();
  sheet.commit();
  for (const name of extraSheets) workbook.addWorksheet(name).commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

export interface UploadAnswer {
  status: number;
  body: { id?: string; status?: string; code?: string; message?: string; fields?: unknown[] };
}

export async function uploadRegistry(
  app: TestApp,
  token: string,
  file: Buffer,
  options: { mode?: string; sync?: boolean; allowAccountMoves?: boolean; fileName?: string } = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  if (options.mode) form.append('mode', options.mode);
  if (options.sync !== undefined) form.append('sync', String(options.sync));
  if (options.allowAccountMoves !== undefined) form.append('allowAccountMoves', String(options.allowAccountMoves));
  form.append('file', new Blob([new Uint8Array(file)]), options.fileName ?? 'реестр.xlsx');
  const response = await fetch(`${app.url}/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
}

export const JOB_FIELDS =
  'id status mode totalRows processedRows created updated unchanged detached failed percent rowsPerSecond error { code message messageEn } startedAt finishedAt';

/** Polls importJob until it has finished. */
export async function finishedJob(
  app: TestApp,
  token: string,
  id: string,
  timeoutMs = 60_000,
): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const result = await app.gql(`query($id: String!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id }, token);
    const job = result.data?.importJob;
    if (!job) throw new Error(`importJob failed: ${JSON.stringify(result.errors)}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`import ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The organization's registry by natural keys only (no generated ids), sorted: two databases with
 * the same content give the same snapshot whatever order or process wrote them.
 */
export async function registrySnapshot(
  dataSource: DataSource,
  organizationId: string,
): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => dataSource.query(sql, [organizationId]) as Promise<unknown[]>;
  const premisesKey = `b.address_key || '/' || p.type || '/' || p.number_key`;
  return {
    buildings: await q(
      `SELECT address_key, city, street, house, block FROM building WHERE organization_id = $1 ORDER BY address_key`,
    ),
    premises: await q(
      `SELECT ${premisesKey} AS key, p.entrance, p.floor, p.area::text FROM premises p JOIN building b ON b.organization_id = p.organization_id AND b.id = p.building_id WHERE p.organization_id = $1 ORDER BY 1`,
    ),
    accounts: await q(
      `SELECT a.number, ${premisesKey} AS premises, a.hidden_from_resident, a.payments_enabled FROM account a JOIN premises p ON p.organization_id = a.organization_id AND p.id = a.premises_id JOIN building b ON b.organization_id = p.organization_id AND b.id = p.building_id WHERE a.organization_id = $1 ORDER BY 1`,
    ),
    clients: await q(
      `SELECT type, last_name, first_name, middle_name, organization_name, phone, extra_phones, email, birth_date::text, inn, snils, passport_series, passport_number FROM client WHERE organization_id = $1 ORDER BY name_key, phone NULLS FIRST, email NULLS FIRST`,
    ),
    occupancies: await q(
      `SELECT ${premisesKey} AS premises, c.name_key, c.phone, o.role, o.keep_on_sync, o.source FROM occupancy o JOIN client c ON c.organization_id = o.organization_id AND c.id = o.client_id JOIN premises p ON p.organization_id = o.organization_id AND p.id = o.premises_id JOIN building b ON b.organization_id = p.organization_id AND b.id = p.building_id WHERE o.organization_id = $1 ORDER BY 1, 2, 3`,
    ),
    tags: await q(
      `SELECT c.name_key, c.phone, t.name FROM client_tag ct JOIN tag t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id JOIN client c ON c.organization_id = ct.organization_id AND c.id = ct.client_id WHERE ct.organization_id = $1 ORDER BY 1, 2, 3`,
    ),
    externalIds: await q(
      `SELECT e.space, e.system, e.value, c.name_key FROM external_id e JOIN client c ON c.organization_id = e.organization_id AND c.id = e.entity_id WHERE e.organization_id = $1 ORDER BY 1, 2, 3`,
    ),
  };
}

/** A realistic registry of `count` rows: a house per 100 flats, a client and an account per flat. */
export function generatedRegistry(count: number, seed = 0): RegistryRowCells[] {
  const surnames = ['Иванов', 'Петров', 'Сидоров', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Соколов'];
  return Array.from({ length: count }, (_, i) => {
    const n = i + seed;
    return {
      city: 'Москва',
      street: `ул. Тестовая ${Math.floor(n / 10_000)}`,
      house: String(1 + (Math.floor(n / 100) % 100)),
      premisesNumber: String(1 + (n % 100)),
      entrance: String(1 + Math.floor((n % 100) / 25)),
      floor: String(1 + Math.floor((n % 25) / 5)),
      area: `${40 + (n % 30)},50`,
      accountNumber: `00${String(7_000_000 + n)}`,
      lastName: surnames[n % surnames.length],
      firstName: 'Иван',
      middleName: 'Петрович',
      phones: `+7 916 ${String(1_000_000 + n).slice(-7)}`,
      email: `client${n}@mail.ru`,
      role: 'Собственник',
    };
  });
}

/** A workbook as a clerk might arrange it: any sheets, any rows, number formats by column (1-based). */
export async function workbookXlsx(
  sheets: { name: string; rows: unknown[][]; formats?: Record<number, string> }[],
): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => output.on('end', resolve));
  const workbook = new excelStream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const values of spec.rows) {
      const row = sheet.addRow(values);
      for (const [column, format] of Object.entries(spec.formats ?? {})) row.getCell(Number(column)).numFmt = format;
      row.commit();
    }
    sheet.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

/** An xlsx whose workbook lists no sheet at all (a file some tools write when every sheet was deleted). */
export async function sheetlessWorkbook(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
  );
  zip.file(
    'xl/workbook.xml',
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
