import { ClientType } from '../../clients/client-enums';
import { CrmSpace } from '../../kernel/crm-space';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';

import { ADDRESS, Cells, PERSON, client, codes, header, parse, row } from '../../../test/support/registry-row-parsing';

describe('parseRegistryRow: a complete row', () => {
  it('reads every column of a filled row, as the export writes it', () => {
    const result = parse({
      city: ' Москва ',
      street: 'ул. Ленина',
      house: '5А',
      block: '2',
      premisesType: 'Квартира',
      premisesNumber: '012',
      entrance: '2',
      floor: '4',
      area: '54,30',
      accountNumber: '0012345',
      hiddenFromResident: 'Нет',
      paymentsEnabled: 'Да',
      clientType: 'Физическое лицо',
      lastName: 'Экспортов',
      firstName: 'Эдуард',
      middleName: 'Эдуардович',
      organizationName: '',
      phones: '+79167001122; +74957001122',
      email: 'Ivanov@Mail.ru',
      birthDate: '31.12.1980',
      inn: '500100732259',
      snils: '112-233-445 95',
      passportSeries: '45 08',
      passportNumber: '123456',
      role: 'Собственник',
      keepOnSync: 'Нет',
      externalSpace: 'Эксплуатация',
      externalSystem: '1С',
      externalId: 'C-77',
      tags: 'Должник; Совет дома',
    });
    expect(result).toEqual({
      problems: [],
      row: {
        rowNumber: 7,
        building: { city: 'Москва', street: 'ул. Ленина', house: '5А', block: '2' },
        premises: { type: PremisesType.FLAT, number: '012', entrance: 2, floor: 4, area: '54.30' },
        account: { number: '0012345', hiddenFromResident: false, paymentsEnabled: true },
        client: {
          type: ClientType.INDIVIDUAL,
          lastName: 'Экспортов',
          firstName: 'Эдуард',
          middleName: 'Эдуардович',
          organizationName: null,
          phones: ['+79167001122', '+74957001122'],
          email: 'ivanov@mail.ru',
          birthDate: '1980-12-31',
          inn: '500100732259',
          snils: '11223344595',
          passportSeries: '4508',
          passportNumber: '123456',
          role: OccupancyRole.OWNER,
          keepOnSync: false,
          externalId: { space: CrmSpace.OPERATION, system: '1С', value: 'C-77' },
          tags: ['Должник', 'Совет дома'],
        },
      },
    });
  });
});

describe('parseRegistryRow: absent column vs empty cell', () => {
  it('leaves the fields of columns the file lacks undefined; no account or client cells → null', () => {
    expect(row(ADDRESS)).toEqual({
      rowNumber: 7,
      building: { city: 'Москва', street: 'ул. Ленина', house: '5А', block: undefined },
      premises: { type: PremisesType.FLAT, number: '12', entrance: undefined, floor: undefined, area: undefined },
      account: null,
      client: null,
    });
  });

  it('reads empty cells (and cells of spaces only) as null', () => {
    const blank = {
      block: '',
      premisesType: '   ',
      entrance: ' ',
      floor: '',
      area: '\u00a0',
      accountNumber: '',
      hiddenFromResident: '',
      paymentsEnabled: '',
    };
    expect(row({ ...ADDRESS, ...blank })).toMatchObject({
      building: { block: null },
      premises: { type: PremisesType.FLAT, entrance: null, floor: null, area: null },
      account: null,
    });
  });

  it('keeps the difference inside a client: absent → undefined, empty → null', () => {
    const parsed = client({ middleName: '  ', email: '', phones: '' });
    expect(parsed).toMatchObject({ middleName: null, email: null, phones: null });
    for (const field of [
      'organizationName',
      'birthDate',
      'inn',
      'snils',
      'passportSeries',
      'passportNumber',
      'role',
      'keepOnSync',
      'tags',
    ] as const) {
      expect(parsed[field]).toBeUndefined();
    }
    expect(parsed.externalId).toBeNull();
  });

  it('keeps the difference inside an account', () => {
    expect(row({ ...ADDRESS, accountNumber: '001' }).account).toEqual({
      number: '001',
      hiddenFromResident: undefined,
      paymentsEnabled: undefined,
    });
    expect(row({ ...ADDRESS, accountNumber: '001', hiddenFromResident: '', paymentsEnabled: ' ' }).account).toEqual({
      number: '001',
      hiddenFromResident: null,
      paymentsEnabled: null,
    });
  });

  it('trims text cells and keeps leading zeros', () => {
    expect(
      row({ city: '  Казань ', street: '\tул. Баумана ', house: ' 7 ', premisesNumber: ' 007 ', block: ' 1 ' }),
    ).toMatchObject({
      building: { city: 'Казань', street: 'ул. Баумана', house: '7', block: '1' },
      premises: { number: '007' },
    });
  });
});

describe('parseRegistryRow: required address and premises number', () => {
  it.each(['city', 'street', 'house', 'premisesNumber'] as const)('an empty %s makes the row unusable', (key) => {
    const result = parse({ ...ADDRESS, [key]: '  ' });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([
      [null, 'ROW_REJECTED'],
      [key, 'REQUIRED'],
    ]);
    expect(result.problems[1].ru).toBe(`${header(key)}: обязательная колонка, а ячейка пуста`);
  });

  it.each(['city', 'street', 'house', 'premisesNumber'] as const)(
    'a file without the %s column cannot be imported',
    (key) => {
      const cells: Cells = { ...ADDRESS };
      delete cells[key];
      const result = parse(cells);
      expect(result.row).toBeNull();
      expect(result.problems[1]).toMatchObject({
        column: key,
        code: 'REQUIRED',
        ru: `${header(key)}: колонки нет в файле — добавьте её`,
      });
    },
  );

  it('lists every reason a row is unusable, with one row-level verdict naming the columns', () => {
    const result = parse({
      city: '',
      street: '',
      house: '5',
      premisesNumber: '',
      premisesType: 'Комната',
      clientType: 'Юрлицо',
      externalSystem: '1С',
    });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([
      [null, 'ROW_REJECTED'],
      ['city', 'REQUIRED'],
      ['street', 'REQUIRED'],
      ['premisesType', 'UNKNOWN_CHOICE'],
      ['premisesNumber', 'REQUIRED'],
      ['clientType', 'UNKNOWN_CHOICE'],
      ['externalId', 'EXTERNAL_ID_INCOMPLETE'],
    ]);
    expect(result.problems[0].ru).toBe(
      'Строка не загружена — исправьте колонки: Город, Улица, Тип помещения, Номер помещения, Тип клиента, Внешний ID клиента',
    );
    expect(result.problems[0].en).toBe(
      'Row not imported — fix the columns: Город, Улица, Тип помещения, Номер помещения, Тип клиента, Внешний ID клиента',
    );
  });

  it.each([['—'], ['-/-'], ['№']])('refuses premises number %j without a digit or a letter', (number) => {
    const result = parse({ ...ADDRESS, premisesNumber: number });
    expect(result.row).toBeNull();
    expect(codes(result)).toContainEqual(['premisesNumber', 'INVALID_PREMISES_NUMBER']);
  });
});

describe('parseRegistryRow: lengths', () => {
  it.each([
    ['city', 200],
    ['street', 200],
    ['house', 20],
    ['block', 50],
    ['premisesNumber', 20],
    ['accountNumber', 30],
    ['lastName', 100],
    ['firstName', 100],
    ['middleName', 100],
    ['organizationName', 300],
    ['externalSystem', 100],
    ['externalId', 200],
  ] as const)('%s: %i characters pass, one more makes the row unusable (never cut)', (key, max) => {
    const base: Cells = { ...ADDRESS, ...PERSON, externalSystem: '1С', externalId: 'C-1' };
    expect(parse({ ...base, [key]: '7'.repeat(max) }).problems).toEqual([]);
    const result = parse({ ...base, [key]: '7'.repeat(max + 1) });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([
      [null, 'ROW_REJECTED'],
      [key, 'TOO_LONG'],
    ]);
    expect(result.problems[1].ru).toContain(`не длиннее ${max} символов, а здесь ${max + 1}`);
  });
});

describe('parseRegistryRow: account', () => {
  it('an account number keeps its leading zeros and its flags', () => {
    expect(
      row({ ...ADDRESS, accountNumber: ' 0012345 ', hiddenFromResident: 'да', paymentsEnabled: 'нет' }).account,
    ).toEqual({
      number: '0012345',
      hiddenFromResident: true,
      paymentsEnabled: false,
    });
  });

  it.each(['12/3-А', 'ЛС 001'])('accepts the account number %j', (number) => {
    expect(row({ ...ADDRESS, accountNumber: number }).account!.number).toBe(number);
  });

  it.each([
    [{ hiddenFromResident: 'Да' }, '«Скрыть ЛС от жителя»'],
    [{ paymentsEnabled: 'Нет' }, '«Оплата в приложении»'],
    [{ hiddenFromResident: 'Нет', paymentsEnabled: 'Да' }, '«Скрыть ЛС от жителя» и «Оплата в приложении»'],
  ])('flags %j without an account number make the row unusable', (flags, named) => {
    const result = parse({ ...ADDRESS, accountNumber: '', ...flags });
    expect(result.row).toBeNull();
    expect(result.problems[1]).toEqual({
      column: 'accountNumber',
      code: 'ACCOUNT_NUMBER_REQUIRED',
      ru: `Лицевой счёт: пусто, а заполнено ${named}: укажите номер счёта или очистите эти ячейки`,
      en: `Лицевой счёт: empty, but ${named.replace(' и ', ' and ')} is filled: give the account number or clear those cells`,
    });
  });

  it.each(['12#3', '001;002'])('refuses the account number %j', (number) => {
    const result = parse({ ...ADDRESS, accountNumber: number });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([
      [null, 'ROW_REJECTED'],
      ['accountNumber', 'INVALID_ACCOUNT_NUMBER'],
    ]);
  });
});

describe('parseRegistryRow: problem messages', () => {
  it('every problem names its column’s header and the bad value in both languages', () => {
    const bad: Cells = {
      ...ADDRESS,
      ...PERSON,
      entrance: '0',
      floor: '300',
      area: 'много',
      phones: '123',
      email: 'нет',
      birthDate: '32.01.1990',
      inn: '123',
      snils: '1',
      passportSeries: 'AB',
      passportNumber: '1',
      tags: 'Я'.repeat(80),
    };
    const result = parse(bad);
    expect(result.row).not.toBeNull();
    expect(result.problems).toHaveLength(11);
    for (const p of result.problems) {
      const value = p.column === 'tags' ? 'Я'.repeat(60) : bad[p.column!]!;
      expect(p.ru.startsWith(`${header(p.column!)}: «${value}`)).toBe(true);
      expect(p.en.startsWith(`${header(p.column!)}: "${value}`)).toBe(true);
      expect(p.ru).not.toEqual(p.en);
    }
  });

  it('cuts a very long value in the message', () => {
    const result = parse({ ...ADDRESS, ...PERSON, lastName: 'Я'.repeat(150) });
    expect(result.problems[1].ru).toBe(`Фамилия: «${'Я'.repeat(60)}…» — не длиннее 100 символов, а здесь 150`);
  });
});
