import { existsSync } from 'node:fs';
import { open, readFile, rm, writeFile } from 'node:fs/promises';

import { randomBytes } from 'node:crypto';

import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { stream as excelStream } from 'exceljs';

import { openRegistryFile } from './registry-file';

import { INSTRUCTION_SHEET } from '../export/registry-template';
import { readZipDirectory } from './registry-zip';

import {
  ADDRESS,
  entryOrder,
  expectProblem,
  file,
  header,
  openFds,
  readAll,
  registryXlsx,
  sheetRezippedWithSheetFirst,
  tmpFiles,
  useScratchFolder,
  writeXlsx,
} from '../../../test/support/registry-file-reading';

useScratchFolder();

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
