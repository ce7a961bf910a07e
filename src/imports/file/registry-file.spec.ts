import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { stream as excelStream } from 'exceljs';
import JSZip from 'jszip';
import { REGISTRY_COLUMNS } from '../registry-columns';
import {
  ImportFileError,
  ImportFileProblem,
  openRegistryFile,
  RegistryFileLimits,
  RegistrySheetReader,
} from './registry-file';
import type { RawRegistryRow } from '../rows/registry-row';
import { CHOICES_SHEET, INSTRUCTION_SHEET, REGISTRY_SHEET, writeRegistryTemplate } from '../export/registry-template';
import { readZipDirectory } from './registry-zip';

const header = (...keys: string[]): string[] => keys.map((k) => REGISTRY_COLUMNS.find((c) => c.key === k)!.header);
const ADDRESS = header('city', 'street', 'house', 'premisesNumber');

let dir: string;
let counter = 0;
const file = (extension: string): string => join(dir, `f${++counter}.${extension}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-file-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface SheetSpec {
  name: string;
  rows: unknown[][];
}

async function writeXlsx(sheets: SheetSpec[], useSharedStrings = false): Promise<string> {
  const path = file('xlsx');
  const workbook = new excelStream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: true });
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const row of spec.rows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  return path;
}

const registryXlsx = (rows: unknown[][], useSharedStrings = false): Promise<string> =>
  writeXlsx([{ name: REGISTRY_SHEET, rows }], useSharedStrings);

async function readAll(reader: RegistrySheetReader): Promise<RawRegistryRow[]> {
  const rows: RawRegistryRow[] = [];
  for await (const row of reader.rows()) rows.push(row);
  return rows;
}

async function refusal(path: string, limits?: Partial<RegistryFileLimits>): Promise<ImportFileError> {
  try {
    const reader = await openRegistryFile(path, limits);
    await readAll(reader);
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return error as ImportFileError;
  }
  throw new Error('The file was not refused');
}

async function expectProblem(
  path: string,
  problem: ImportFileProblem,
  limits?: Partial<RegistryFileLimits>,
): Promise<ImportFileError> {
  const error = await refusal(path, limits);
  expect(error.problem).toBe(problem);
  expect(error.ru).toMatch(/^[А-ЯЁ].*\.$/);
  expect(error.en).toMatch(/^[A-Z].*\.$/);
  return error;
}

/** Node has no cp1251 encoder: ASCII, А–я, Ё and ё are all a registry needs here. */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const code = char.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x350;
      if (char === 'Ё') return 0xa8;
      if (char === 'ё') return 0xb8;
      throw new Error(`No cp1251 byte for ${char}`);
    }),
  );
}

async function sheetRezippedWithSheetFirst(path: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const names = Object.keys(zip.files).sort(
    (a, b) => Number(!a.startsWith('xl/worksheets/')) - Number(!b.startsWith('xl/worksheets/')),
  );
  const reordered = new JSZip();
  for (const name of names) reordered.file(name, await zip.file(name)!.async('nodebuffer'));
  const target = file('xlsx');
  await writeFile(target, await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return target;
}

async function entryOrder(path: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    return (await readZipDirectory(handle, (await handle.stat()).size))!.map((e) => e.name);
  } finally {
    await handle.close();
  }
}

const tmpFiles = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('tmp-'));
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('openRegistryFile: xlsx', () => {
  const goodRows = [
    [...ADDRESS, ...header('area', 'accountNumber', 'phones', 'birthDate', 'hiddenFromResident', 'lastName')],
    [
      'Москва',
      ' ул. Ленина ',
      '5А',
      '12',
      54.3,
      '0012345',
      '8 916 111-22-33; +7 495 123-45-67',
      new Date(Date.UTC(1980, 11, 31)),
      true,
      'Иванов',
    ],
    ['Москва', 'ул. Ленина', '5А', 13, null, 79161234567, 79161234567, null, false, ''],
  ];

  it.each([false, true])('reads cells as text (shared strings: %s)', async (useSharedStrings) => {
    const reader = await openRegistryFile(await registryXlsx(goodRows, useSharedStrings));
    expect(reader.format).toBe('xlsx');
    expect(reader.header).toEqual(goodRows[0]);
    expect(reader.columns).toEqual([
      'city',
      'street',
      'house',
      'premisesNumber',
      'area',
      'accountNumber',
      'phones',
      'birthDate',
      'hiddenFromResident',
      'lastName',
    ]);
    const rows = await readAll(reader);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        cells: {
          city: 'Москва',
          street: 'ул. Ленина',
          house: '5А',
          premisesNumber: '12',
          area: '54.3',
          accountNumber: '0012345',
          phones: '8 916 111-22-33; +7 495 123-45-67',
          birthDate: '1980-12-31',
          hiddenFromResident: 'true',
          lastName: 'Иванов',
        },
        original: [
          'Москва',
          'ул. Ленина',
          '5А',
          '12',
          '54.3',
          '0012345',
          '8 916 111-22-33; +7 495 123-45-67',
          '1980-12-31',
          'true',
          'Иванов',
        ],
      },
      {
        rowNumber: 3,
        cells: {
          city: 'Москва',
          street: 'ул. Ленина',
          house: '5А',
          premisesNumber: '13',
          area: '',
          accountNumber: '79161234567',
          phones: '79161234567',
          birthDate: '',
          hiddenFromResident: 'false',
          lastName: '',
        },
        original: ['Москва', 'ул. Ленина', '5А', '13', '', '79161234567', '79161234567', '', 'false', ''],
      },
    ]);
    expect(rows[0].cells).not.toHaveProperty('firstName');
    expect(reader.progress()).toBe(1);
    await reader.close();
  });

  it('turns rich text, formulas, hyperlinks and errors into what the cell shows', async () => {
    // Shared strings, as Excel writes rich text: exceljs's streaming reader keeps only the last run of inline rich text.
    const path = await registryXlsx(
      [
        [...ADDRESS, ...header('organizationName', 'email', 'area', 'inn')],
        [
          { richText: [{ text: 'Мос', font: { bold: true } }, { text: 'ква' }] },
          'Ленина',
          { formula: '2+3', result: 5 },
          '1',
          { formula: '"ООО "&"Ромашка"', result: 'ООО Ромашка' },
          { text: 'a@b.ru', hyperlink: 'mailto:a@b.ru' },
          { error: '#DIV/0!' },
          1e21,
        ],
      ],
      true,
    );
    const [row] = await readAll(await openRegistryFile(path));
    expect(row.original).toEqual(['Москва', 'Ленина', '5', '1', 'ООО Ромашка', 'a@b.ru', '', '1000000000000000000000']);
  });

  it('matches headers in any order, case, spacing, ё/е and with a trailing "*"', async () => {
    const path = await registryXlsx([
      ['ДОМ *', '  номер   помещения', 'Лицевой счет', 'улица*', 'город', 'площадь, м2'],
      ['5', '7', '001', 'Ленина', 'Тула', '10'],
    ]);
    const reader = await openRegistryFile(path);
    expect(reader.header).toEqual(['ДОМ *', 'номер   помещения', 'Лицевой счет', 'улица*', 'город', 'площадь, м2']);
    expect(reader.columns).toEqual(['house', 'premisesNumber', 'accountNumber', 'street', 'city', 'area']);
    const [row] = await readAll(reader);
    expect(row.cells).toEqual({
      house: '5',
      premisesNumber: '7',
      accountNumber: '001',
      street: 'Ленина',
      city: 'Тула',
      area: '10',
    });
  });

  it('skips empty rows but keeps their numbers, ignores empty trailing header cells, pads short rows', async () => {
    const path = await registryXlsx([
      [...ADDRESS, '', ''],
      ['Тула', 'Ленина', '1', '1'],
      [],
      ['', '', null, ''],
      ['Тула', 'Ленина', '1'],
    ]);
    const reader = await openRegistryFile(path);
    expect(reader.header).toEqual(ADDRESS);
    const rows = await readAll(reader);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 5]);
    expect(rows[1].original).toEqual(['Тула', 'Ленина', '1', '']);
    expect(rows[1].cells.premisesNumber).toBe('');
  });

  it('takes the first sheet that is not the instruction or the allowed values', async () => {
    const path = await writeXlsx([
      { name: INSTRUCTION_SHEET, rows: [['Колонка', 'Обязательна']] },
      { name: 'Мой реестр', rows: [ADDRESS, ['Тула', 'Ленина', '1', '1']] },
      { name: 'Ещё', rows: [['что-то']] },
    ]);
    expect((await readAll(await openRegistryFile(path))).map((r) => r.cells.city)).toEqual(['Тула']);
  });

  it('never spools a sheet to a temp file, even when the sheet precedes the shared strings', async () => {
    const rows = [ADDRESS, ...Array.from({ length: 50 }, (_, i) => ['Тула', `Улица ${i}`, '1', String(i)])];
    const path = await sheetRezippedWithSheetFirst(await registryXlsx(rows, true));
    const order = await entryOrder(path);
    expect(order.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(order.indexOf('xl/sharedStrings.xml'));

    // exceljs's own copy of the module (an import would spy on a wrapper); every spooled path is recorded.
    type SpoolCallback = (error: Error | null, path: string, ...rest: unknown[]) => void;
    const tmpModule = jest.requireActual<{ file: (callback: SpoolCallback) => void }>('tmp');
    const createTempFile = tmpModule.file;
    const spooled: string[] = [];
    const spool = jest.spyOn(tmpModule, 'file').mockImplementation((callback) =>
      createTempFile((error, tempPath, ...rest) => {
        spooled.push(tempPath);
        callback(error, tempPath, ...rest);
      }),
    );
    const before = tmpFiles();
    try {
      // The control: exceljs on its own spools this file, and the temp file outlives a broken loop.
      const plain = new excelStream.xlsx.WorkbookReader(path, {});
      for await (const sheet of plain) {
        for await (const _row of sheet) break;
        break;
      }
      expect(spooled).toHaveLength(1);
      expect(existsSync(spooled[0])).toBe(true);
      await rm(spooled[0]);
      spool.mockClear();

      const read = await readAll(await openRegistryFile(path));
      expect(read).toHaveLength(50);
      expect(read[49].cells.street).toBe('Улица 49');

      const broken = await openRegistryFile(path);
      for await (const _row of broken.rows()) break;
      await broken.close();

      await expect(
        (async () => {
          for await (const _row of (await openRegistryFile(path)).rows()) throw new Error('the import failed');
        })(),
      ).rejects.toThrow('the import failed');

      // No shared strings at all (exceljs's writer default): exceljs alone would spool every sheet.
      await openRegistryFile(await sheetRezippedWithSheetFirst(await registryXlsx(rows, false))).then(readAll);
      expect(spool).not.toHaveBeenCalled();
      expect(tmpFiles().filter((name) => !before.includes(name))).toEqual([]);
    } finally {
      spool.mockRestore();
    }
  });

  it('keeps Cyrillic text whole where an inflated chunk ends mid-character (patches/exceljs+4.4.0.patch)', async () => {
    const names = ['Не удалять', 'Собственник', 'Иванова Мария', 'ул. Ленина', 'Машино-место'];
    const rows = Array.from({ length: 5000 }, (_, i) => [
      'Москва',
      names[i % names.length],
      String(i),
      `${names[(i + 1) % names.length]} ${i}`,
    ]);
    const reader = await openRegistryFile(await registryXlsx([ADDRESS, ...rows]));
    let seen = 0;
    for await (const row of reader.rows()) {
      const expected = rows[row.rowNumber - 2];
      expect([row.cells.city, row.cells.street, row.cells.house, row.cells.premisesNumber]).toEqual(expected);
      seen++;
    }
    expect(seen).toBe(5000);
  });

  it('reports progress and closes everything after an early break', async () => {
    const rows = [
      ADDRESS,
      ...Array.from({ length: 20_000 }, (_, i) => ['Тула', `Улица ${i % 300}`, String(i % 50), String(i)]),
    ];
    const path = await registryXlsx(rows, true);
    const fds = openFds();

    const reader = await openRegistryFile(path);
    const seen: number[] = [];
    let count = 0;
    for await (const _row of reader.rows()) {
      if (++count % 5000 === 0) seen.push(reader.progress());
    }
    expect(count).toBe(20_000);
    expect(seen.every((p, i) => p > 0 && p <= 1 && (i === 0 || p >= seen[i - 1]))).toBe(true);
    // Bytes read run ahead of the rows parsed only by the streams' buffers (a few hundred KB).
    expect((seen[0] - 0.25) * (await readFile(path)).length).toBeLessThan(400_000);
    expect(reader.progress()).toBe(1);

    const broken = await openRegistryFile(path);
    for await (const _row of broken.rows()) break;
    await broken.close();
    await broken.close();
    expect(broken.progress()).toBeLessThan(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(openFds()).toBeLessThanOrEqual(fds);
  });

  /** A 2,000-row registry's bytes and where its sheet's compressed data lies in them. */
  async function registryWithSheetData(): Promise<{ bytes: Buffer; dataStart: number; compressedSize: number }> {
    const path = await registryXlsx([
      ADDRESS,
      ...Array.from({ length: 2000 }, (_, i) => ['Тула', `Улица ${i}`, '1', String(i)]),
    ]);
    const bytes = await readFile(path);
    const handle = await open(path, 'r');
    const sheet = (await readZipDirectory(handle, bytes.length))!.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    await handle.close();
    const dataStart =
      sheet.localHeaderOffset +
      30 +
      bytes.readUInt16LE(sheet.localHeaderOffset + 26) +
      bytes.readUInt16LE(sheet.localHeaderOffset + 28);
    return { bytes, dataStart, compressedSize: sheet.compressedSize };
  }

  it('refuses a damaged xlsx without hanging', async () => {
    const { bytes, dataStart, compressedSize } = await registryWithSheetData();
    randomBytes(200).copy(bytes, dataStart + Math.floor(compressedSize / 2));
    const damaged = file('xlsx');
    await writeFile(damaged, bytes);
    const error = await expectProblem(damaged, 'NOT_A_SPREADSHEET');
    expect(error.ru).toContain('повреждён');
  });

  it('refuses an xlsx whose sheet fails to inflate only at its end, after every byte of the file was read', async () => {
    // The random damage above hung about one run in 400: the unzipper had buffered the whole file, so its
    // inflate error came after the input stream had ended, and was lost. Here the sheet's deflate data is
    // most of the sheet, flushed, then a block of the reserved type 3 (zlib: "invalid block type").
    const { bytes, dataStart, compressedSize } = await registryWithSheetData();
    const xml = inflateRawSync(bytes.subarray(dataStart, dataStart + compressedSize));
    const flushed = deflateRawSync(xml.subarray(0, Math.floor(xml.length * 0.9)), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
    });
    const damagedData = Buffer.concat([flushed, Buffer.from([0b111])]);
    expect(damagedData.length).toBeLessThan(compressedSize);
    damagedData.copy(bytes, dataStart);
    bytes.fill(0, dataStart + damagedData.length, dataStart + compressedSize);
    const damaged = file('xlsx');
    await writeFile(damaged, bytes);
    const error = await expectProblem(damaged, 'NOT_A_SPREADSHEET');
    expect(error.ru).toContain('повреждён');
  }, 15_000);
});

describe('openRegistryFile: CSV', () => {
  it('reads UTF-8 with a BOM, ";" and RFC 4180 quotes', async () => {
    const path = file('csv');
    await writeFile(
      path,
      '\uFEFF' +
        [
          [...ADDRESS, 'Наименование организации', 'Телефоны'].join(';'),
          'Москва;"ул. Ленина; корп. 2";5А;0012;"ООО ""Ромашка""";"8 916 111-22-33; +7 495 123-45-67"',
          ';;;;;',
          '',
          'Москва; Ленина ;5;"1',
          'а";ООО "Лютик"',
        ].join('\r\n') +
        '\r\n',
    );
    const reader = await openRegistryFile(path);
    expect(reader.format).toBe('csv');
    expect(reader.header[0]).toBe('Город');
    const rows = await readAll(reader);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        cells: {
          city: 'Москва',
          street: 'ул. Ленина; корп. 2',
          house: '5А',
          premisesNumber: '0012',
          organizationName: 'ООО "Ромашка"',
          phones: '8 916 111-22-33; +7 495 123-45-67',
        },
        original: ['Москва', 'ул. Ленина; корп. 2', '5А', '0012', 'ООО "Ромашка"', '8 916 111-22-33; +7 495 123-45-67'],
      },
      {
        rowNumber: 5,
        cells: {
          city: 'Москва',
          street: 'Ленина',
          house: '5',
          premisesNumber: '1\r\nа',
          organizationName: 'ООО "Лютик"',
          phones: '',
        },
        original: ['Москва', 'Ленина', '5', '1\r\nа', 'ООО "Лютик"', ''],
      },
    ]);
    expect(reader.progress()).toBe(1);
  });

  it('reads cp1251 (Excel\'s plain "CSV" in Russian Windows) with ","', async () => {
    const path = file('csv');
    await writeFile(path, cp1251(`${[...ADDRESS, 'Лицевой счёт'].join(',')}\r\nЁлкино,Весёлая,1,2,007\r\n`));
    const [row] = await readAll(await openRegistryFile(path));
    expect(row.cells).toEqual({
      city: 'Ёлкино',
      street: 'Весёлая',
      house: '1',
      premisesNumber: '2',
      accountNumber: '007',
    });
  });

  it('reads tab-separated text', async () => {
    const path = file('txt');
    await writeFile(path, `${ADDRESS.join('\t')}\nТула\tЛенина, 5\t1\t2\n`);
    const [row] = await readAll(await openRegistryFile(path));
    expect(row.cells.street).toBe('Ленина, 5');
  });
});

describe('openRegistryFile: files it refuses', () => {
  it('an empty file', async () => {
    const path = file('xlsx');
    await writeFile(path, '');
    await expectProblem(path, 'EMPTY');
  });

  it('a header without data rows: xlsx, the template itself, CSV', async () => {
    expect((await expectProblem(await registryXlsx([ADDRESS, [], ['', '']]), 'EMPTY')).ru).toBe(
      'В файле нет ни одной строки с данными.',
    );
    const template = file('xlsx');
    const out = createWriteStream(template);
    await writeRegistryTemplate(out);
    await finished(out);
    await expectProblem(template, 'EMPTY');
    const csv = file('csv');
    await writeFile(csv, `${ADDRESS.join(';')}\r\n;;;\r\n`);
    await expectProblem(csv, 'EMPTY');
  });

  it('random binary', async () => {
    const path = file('xlsx');
    await writeFile(path, randomBytes(4096));
    await expectProblem(path, 'NOT_A_SPREADSHEET');
  });

  it('a text that is not a registry, naming only the missing columns (others are left out, not refused)', async () => {
    const path = file('csv');
    await writeFile(path, 'Город;Примечание;Номер помещения\nТула;5;5\n');
    const error = await expectProblem(path, 'BAD_HEADER');
    expect(error.ru).toBe('Заголовок не совпадает с шаблоном: нет столбцов «Улица», «Дом».');
    expect(error.en).toBe('The header does not match the template: missing columns "Улица", "Дом".');
  });

  it('a repeated column; an unnamed one is left out and reported', async () => {
    expect(
      (
        await expectProblem(
          await registryXlsx([
            [...ADDRESS, 'Дом'],
            ['a', 'b', 'c', 'd', 'e'],
          ]),
          'BAD_HEADER',
        )
      ).ru,
    ).toContain('повторяются столбцы «Дом»');
    const reader = await openRegistryFile(
      await registryXlsx([
        ['Город', '', ...ADDRESS.slice(1)],
        ['a', 'b', 'c', 'd', 'e'],
      ]),
    );
    expect(reader.ignoredColumns).toEqual(['№ 2']);
    expect((await readAll(reader))[0].cells).toEqual({ city: 'a', street: 'c', house: 'd', premisesNumber: 'e' });
  });

  it('a zip that is not a workbook', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    const path = file('xlsx');
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    await expectProblem(path, 'NOT_A_SPREADSHEET');
  });

  it('an OLE file: password-protected xlsx or legacy xls', async () => {
    const ole = (extra: Buffer): Buffer =>
      Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(3000), extra, Buffer.alloc(100)]);
    const encrypted = file('xlsx');
    await writeFile(encrypted, ole(Buffer.from('EncryptionInfo', 'utf16le')));
    await expectProblem(encrypted, 'PASSWORD_PROTECTED');
    const legacy = file('xls');
    await writeFile(legacy, ole(Buffer.from('Workbook', 'utf16le')));
    expect((await expectProblem(legacy, 'LEGACY_XLS')).ru).toBe(
      'Формат .xls не поддерживается: сохраните файл как .xlsx (Книга Excel).',
    );
  });

  it('a zip bomb, by ratio and by total size', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    zip.file('xl/_rels/workbook.xml.rels', '<Relationships/>');
    zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(50 * 1024 * 1024));
    const bomb = file('xlsx');
    await writeFile(bomb, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    await expectProblem(bomb, 'ZIP_BOMB');
    await expectProblem(await registryXlsx([ADDRESS, ['a', 'b', 'c', 'd']]), 'ZIP_BOMB', {
      maxUncompressedBytes: 1000,
    });
  });

  it('a file over the size limit', async () => {
    expect(
      (await expectProblem(await registryXlsx([ADDRESS, ['a', 'b', 'c', 'd']]), 'TOO_LARGE', { maxBytes: 1000 })).ru,
    ).toBe('Файл больше 0 МБ: разделите реестр на несколько файлов.');
  });

  it('a workbook with only the instruction and allowed-values sheets', async () => {
    const path = await writeXlsx([
      { name: INSTRUCTION_SHEET, rows: [['Колонка']] },
      { name: CHOICES_SHEET, rows: [['Роль']] },
    ]);
    expect((await expectProblem(path, 'NO_DATA_SHEET')).ru).toBe(
      'В файле нет листа с реестром: данные должны быть на отдельном листе, а не на листах «Инструкция» и «Значения».',
    );
  });

  it('more data rows than allowed, thrown from the iterator', async () => {
    const rows = [ADDRESS, ['a', 'b', 'c', '1'], [], ['a', 'b', 'c', '2'], ['a', 'b', 'c', '3']];
    for (const path of [
      await registryXlsx(rows),
      await (async () => {
        const csv = file('csv');
        await writeFile(csv, rows.map((r) => r.join(';')).join('\n'));
        return csv;
      })(),
    ]) {
      const reader = await openRegistryFile(path, { maxRows: 2 });
      const seen: number[] = [];
      await expect(
        (async () => {
          for await (const row of reader.rows()) seen.push(row.rowNumber);
        })(),
      ).rejects.toMatchObject({ problem: 'TOO_MANY_ROWS' });
      expect(seen).toEqual([2, 4]);
      await reader.close();
    }
  });
});

describe('openRegistryFile: a file LibreOffice wrote', () => {
  const fixture = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'registry-libreoffice.xlsx');

  it('reads the converted CSV fixture', async () => {
    expect(existsSync(fixture)).toBe(true);
    const reader = await openRegistryFile(fixture);
    expect(reader.columns).toEqual(REGISTRY_COLUMNS.map((c) => c.key));
    const rows = await readAll(reader);
    expect(rows).toHaveLength(4);
    const [individual, legalEntity, premisesOnly] = rows;
    expect(individual.cells).toMatchObject({
      phones: '8 916 111-22-33; +7 495 123-45-67',
      accountNumber: '0012345',
      birthDate: '31.12.1980',
      lastName: 'Иванов',
      area: '54,3',
    });
    expect(legalEntity.cells).toMatchObject({
      clientType: 'Юридическое лицо',
      organizationName: 'ООО «Ромашка»',
      inn: '7707083893',
    });
    expect(premisesOnly.cells).toMatchObject({
      premisesType: 'Машино-место',
      premisesNumber: '003',
      lastName: '',
      phones: '',
    });
  });
});
