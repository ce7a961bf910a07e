import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sheetlessWorkbook, workbookXlsx } from '../../../test/support/registry-files';
import { REGISTRY_COLUMNS } from '../registry-columns';
import { ImportFileError, openRegistryFile, RegistrySheetReader } from './registry-file';
import { matchHeader } from './registry-header';
import type { RawRegistryRow } from '../rows/registry-row';

let dir: string;
let counter = 0;
const file = (extension: string): string => join(dir, `h${++counter}.${extension}`);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-header-spec-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Node has no cp1251 encoder; LibreOffice writes «?» for the characters cp1251 lacks (²). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x350;
      return 0x3f;
    }),
  );
}

async function xlsx(sheets: Parameters<typeof workbookXlsx>[0]): Promise<string> {
  const path = file('xlsx');
  await writeFile(path, await workbookXlsx(sheets));
  return path;
}

async function readAll(reader: RegistrySheetReader): Promise<RawRegistryRow[]> {
  const rows: RawRegistryRow[] = [];
  for await (const row of reader.rows()) rows.push(row);
  return rows;
}

async function refusal(path: string, fileName?: string): Promise<ImportFileError> {
  try {
    await readAll(await openRegistryFile(path, {}, fileName));
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error('not refused');
}

const ADDRESS = ['Город', 'Улица', 'Дом', 'Номер помещения'];
const ADDRESS_KEYS = ['city', 'street', 'house', 'premisesNumber'];

describe('header matching: as clerks write headers', () => {
  it.each([
    ['Площадь, м²', 'area'],
    ['Площадь, м?', 'area'],
    ['Площадь, м\uFFFD', 'area'],
    ['Площадь', 'area'],
    ['площадь (кв. м)', 'area'],
    ['Общая площадь, м2', 'area'],
    ['Лицевой счёт', 'accountNumber'],
    ['Лицевой счет', 'accountNumber'],
    ['Номер ЛС', 'accountNumber'],
    ['ЛС', 'accountNumber'],
    ['Л/с', 'accountNumber'],
    ['Телефон', 'phones'],
    ['Телефоны*', 'phones'],
    ['  ТЕЛЕФОНЫ ', 'phones'],
    ['E-mail', 'email'],
    ['Email', 'email'],
    ['№ кв.', 'premisesNumber'],
    ['Квартира', 'premisesNumber'],
    ['Номер  помещения', 'premisesNumber'],
    ['Корп.', 'block'],
    ['№ дома', 'house'],
    ['Населённый пункт', 'city'],
  ])('reads %j as %s', (text, key) => {
    const others = ADDRESS.filter((_, index) => ADDRESS_KEYS[index] !== key);
    const { columns } = matchHeader([...others, text]);
    expect(columns[columns.length - 1]).toBe(key);
  });

  it('knows every template header as it is', () => {
    for (const column of REGISTRY_COLUMNS)
      expect(matchHeader([...ADDRESS, column.header].filter((h, i, all) => all.indexOf(h) === i)).columns).toContain(
        column.key,
      );
  });

  it('leaves out columns the template does not have and lists them; refuses only for missing required ones', () => {
    const header = matchHeader([...ADDRESS, 'Примечание', 'Комментарий бухгалтерии']);
    expect(header.ignored).toEqual(['Примечание', 'Комментарий бухгалтерии']);
    expect(header.columns).toEqual(['city', 'street', 'house', 'premisesNumber', null, null]);
    expect(() => matchHeader(['Город', 'Примечание'])).toThrow(/missing columns "Улица", "Дом", "Номер помещения"/);
  });
});

describe('registry files as clerks make them', () => {
  it('a cp1251 CSV re-saved by LibreOffice: «Площадь, м?» is the area', async () => {
    const path = file('csv');
    await writeFile(path, cp1251('Город;Улица;Дом;Номер помещения;Площадь, м²\r\nТула;Мира;1;5;54,3\r\n'));
    const [row] = await readAll(await openRegistryFile(path));
    expect(row.cells).toEqual({ city: 'Тула', street: 'Мира', house: '1', premisesNumber: '5', area: '54,3' });
  });

  it('a title row and a blank row above the header', async () => {
    const path = await xlsx([
      { name: 'Лист1', rows: [['Реестр помещений УК «Тест» на 01.12'], [], ADDRESS, ['Тула', 'Мира', '1', '5']] },
    ]);
    const reader = await openRegistryFile(path);
    expect(reader.headerRow).toBe(3);
    const rows = await readAll(reader);
    expect(rows.map((r) => [r.rowNumber, r.cells.premisesNumber])).toEqual([[4, '5']]);
  });

  it('extra columns («Примечание», «Комментарий бухгалтерии») are left out and listed', async () => {
    const path = await xlsx([
      {
        name: 'Реестр',
        rows: [
          [...ADDRESS, 'Примечание', 'Комментарий бухгалтерии'],
          ['Тула', 'Мира', '1', '5', 'звонить вечером', 'долг'],
        ],
      },
    ]);
    const reader = await openRegistryFile(path);
    expect(reader.ignoredColumns).toEqual(['Примечание', 'Комментарий бухгалтерии']);
    expect((await readAll(reader))[0].cells).toEqual({ city: 'Тула', street: 'Мира', house: '1', premisesNumber: '5' });
  });

  it('the registry sheet placed after «Инструкция» or «Примечания» is found by its header', async () => {
    const notes = { name: 'Примечания', rows: [['Реестр составлен бухгалтерией'], ['Номера ЛС сверены с 1С']] };
    const path = await xlsx([notes, { name: 'Данные', rows: [ADDRESS, ['Тула', 'Мира', '1', '5']] }]);
    expect((await readAll(await openRegistryFile(path)))[0].cells.premisesNumber).toBe('5');
  });

  it('numbers shown through a format of zeros come as the clerk saw them: 124 in «000000» is «000124»', async () => {
    const path = await xlsx([
      {
        name: 'Реестр',
        rows: [
          [...ADDRESS, 'Лицевой счёт'],
          ['Тула', 'Мира', 1, 5, 124],
        ],
        formats: { 5: '000000' },
      },
    ]);
    const [row] = await readAll(await openRegistryFile(path));
    expect(row.cells).toMatchObject({ house: '1', premisesNumber: '5', accountNumber: '000124' });
  });

  it('a plain text renamed .xlsx is not a spreadsheet, not a bad header', async () => {
    const path = file('xlsx');
    await writeFile(path, 'Добрый день! Высылаю реестр, как договаривались.\nС уважением, бухгалтерия.\n');
    const error = await refusal(path, 'Реестр.xlsx');
    expect(error.problem).toBe('NOT_A_SPREADSHEET');
    expect(error.ru).toContain('.xlsx');
  });

  it('a workbook without sheets has no data sheet', async () => {
    const path = file('xlsx');
    await writeFile(path, await sheetlessWorkbook());
    expect((await refusal(path)).problem).toBe('NO_DATA_SHEET');
  });

  it('no header in the first rows of any sheet: a BAD_HEADER that says what to look for', async () => {
    const path = await xlsx([{ name: 'Лист1', rows: [['Привет'], ['Мир']] }]);
    const error = await refusal(path);
    expect(error.problem).toBe('BAD_HEADER');
    expect(error.ru).toContain('Не найдена строка заголовка');
  });
});
