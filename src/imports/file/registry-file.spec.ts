import { createWriteStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';

import JSZip from 'jszip';
import { REGISTRY_COLUMNS } from '../registry-columns';
import { openRegistryFile } from './registry-file';

import { CHOICES_SHEET, INSTRUCTION_SHEET, writeRegistryTemplate } from '../export/registry-template';

import {
  ADDRESS,
  cp1251,
  expectProblem,
  file,
  readAll,
  registryXlsx,
  useScratchFolder,
  writeXlsx,
} from '../../../test/support/registry-file-reading';

useScratchFolder();

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
