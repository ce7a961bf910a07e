/* A realistic registry file for the import benchmarks (bench/import.ts, and the import bench/load.ts runs under load). */
import { stream as excelStream } from 'exceljs';
import { REGISTRY_COLUMNS, RegistryKey } from '../src/imports/registry-columns';

const SURNAMES = [
  'Иванов',
  'Петров',
  'Сидоров',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Соколов',
  'Михайлов',
  'Новиков',
];
const NAMES = ['Иван', 'Пётр', 'Анна', 'Мария', 'Сергей', 'Ольга', 'Дмитрий', 'Елена'];
const STREETS = ['ул. Ленина', 'пр-т Мира', 'ул. Гагарина', 'Садовая ул.', 'ул. Пушкина', 'наб. Реки'];

/** Row n of a realistic registry: 100 flats a house, a client, an account and a tag per flat, every third with a second phone. */
function row(n: number): Partial<Record<RegistryKey, string>> {
  const flat = 1 + (n % 100);
  return {
    city: n % 7 === 0 ? 'Химки' : 'Москва',
    street: `${STREETS[Math.floor(n / 100) % STREETS.length]} ${Math.floor(n / 60_000)}`,
    house: String(1 + (Math.floor(n / 100) % 600)),
    premisesType: 'Квартира',
    premisesNumber: String(flat),
    entrance: String(1 + Math.floor((flat - 1) / 25)),
    floor: String(1 + Math.floor(((flat - 1) % 25) / 5)),
    area: `${35 + (n % 60)},${n % 10}0`,
    accountNumber: String(10_000_000 + n).padStart(10, '0'),
    hiddenFromResident: 'Нет',
    paymentsEnabled: 'Да',
    clientType: 'Физическое лицо',
    lastName: SURNAMES[n % SURNAMES.length],
    firstName: NAMES[n % NAMES.length],
    middleName: 'Иванович',
    phones:
      n % 3 === 0
        ? `+7 916 ${String(n).padStart(7, '0')}; 8 495 ${String(n).padStart(7, '0')}`
        : `+7 916 ${String(n).padStart(7, '0')}`,
    email: `client${n}@mail.ru`,
    birthDate: `${String(1 + (n % 28)).padStart(2, '0')}.${String(1 + (n % 12)).padStart(2, '0')}.${1950 + (n % 50)}`,
    role: 'Собственник',
    keepOnSync: 'Нет',
    externalSystem: '1С',
    externalId: `C-${n}`,
    tags: n % 5 === 0 ? 'Должник' : '',
  };
}

export async function generateRegistry(path: string, rows: number): Promise<void> {
  const workbook = new excelStream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Реестр');
  sheet.addRow(REGISTRY_COLUMNS.map((c) => c.header)).commit();
  for (let n = 0; n < rows; n++) {
    const cells = row(n);
    sheet.addRow(REGISTRY_COLUMNS.map((c) => cells[c.key] ?? null)).commit();
  }
  sheet.commit();
  await workbook.commit();
}
