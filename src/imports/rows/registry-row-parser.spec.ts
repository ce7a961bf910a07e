import { ClientType } from '../../clients/client-enums';
import { CrmSpace } from '../../kernel/crm-space';
import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';
import { REGISTRY_COLUMNS, RegistryKey } from '../registry-columns';
import { ParsedRegistryRow, RegistryClient, RegistryRow } from './registry-row';
import { parseRegistryRow } from './registry-row-parser';

// 12:00 in Moscow, 21:00 in Kamchatka: the easternmost "today" is already 2024-05-10 everywhere, not yet 05-11.
const TODAY = new Date('2024-05-10T09:00:00Z');
const ADDRESS = { city: 'Москва', street: 'ул. Ленина', house: '5А', premisesNumber: '12' };
const PERSON = { lastName: 'Иванов', firstName: 'Иван' };

type Cells = Partial<Record<RegistryKey, string>>;

function parse(cells: Cells): ParsedRegistryRow {
  return parseRegistryRow({ rowNumber: 7, cells, original: Object.values(cells) }, TODAY);
}

/** The row of a result that must have imported. */
function row(cells: Cells): RegistryRow {
  const result = parse(cells);
  expect(result.row).not.toBeNull();
  return result.row!;
}

function client(cells: Cells): RegistryClient {
  const parsed = row({ ...ADDRESS, ...PERSON, ...cells }).client;
  expect(parsed).not.toBeNull();
  return parsed!;
}

function codes(result: ParsedRegistryRow): [RegistryKey | null, string][] {
  return result.problems.map((p) => [p.column, p.code]);
}

const header = (key: RegistryKey) => REGISTRY_COLUMNS.find((c) => c.key === key)!.header;

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

describe('parseRegistryRow: enumerated columns', () => {
  it.each([
    ['Квартира', PremisesType.FLAT],
    ['квартира', PremisesType.FLAT],
    ['КВАРТИРА', PremisesType.FLAT],
    ['FLAT', PremisesType.FLAT],
    ['  нежилое   помещение ', PremisesType.NON_RESIDENTIAL],
    ['машино-место', PremisesType.PARKING],
    ['parking', PremisesType.PARKING],
    ['Кладовая', PremisesType.STORAGE],
    ['коммерческое помещение', PremisesType.COMMERCIAL],
    ['', PremisesType.FLAT],
  ])('premises type %j → %s', (text, type) => {
    expect(row({ ...ADDRESS, premisesType: text }).premises.type).toBe(type);
  });

  it.each([
    ['физическое лицо', ClientType.INDIVIDUAL],
    ['ИНДИВИДУАЛЬНЫЙ ПРЕДПРИНИМАТЕЛЬ', ClientType.SOLE_PROPRIETOR],
    ['sole_proprietor', ClientType.SOLE_PROPRIETOR],
    ['', ClientType.INDIVIDUAL],
  ])('client type %j → %s', (text, type) => {
    expect(client({ clientType: text }).type).toBe(type);
  });

  it.each([
    ['Юридическое лицо', ClientType.LEGAL_ENTITY],
    ['LEGAL_ENTITY', ClientType.LEGAL_ENTITY],
    ['филиал иностранного юрлица', ClientType.FOREIGN_BRANCH],
  ])('organization type %j → %s', (text, type) => {
    expect(row({ ...ADDRESS, clientType: text, organizationName: 'ООО «Ромашка»' }).client!.type).toBe(type);
  });

  it.each([
    ['Собственник', OccupancyRole.OWNER],
    ['OWNER', OccupancyRole.OWNER],
    ['owner', OccupancyRole.OWNER],
    ['совладелец', OccupancyRole.CO_OWNER],
    ['АРЕНДАТОР', OccupancyRole.TENANT],
    ['Член сёмьи', OccupancyRole.FAMILY_MEMBER], // ё and е are one letter to a clerk
    ['Представитель', OccupancyRole.REPRESENTATIVE],
    ['другое', OccupancyRole.OTHER],
    ['', null],
  ])('role %j → %s', (text, role) => {
    expect(client({ role: text }).role).toBe(role);
  });

  it.each([
    ['Да', true],
    ['да', true],
    ['ДА', true],
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['Нет', false],
    ['нет', false],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
    ['', null],
  ])('yes/no %j → %s in every yes/no column', (text, value) => {
    expect(
      row({ ...ADDRESS, accountNumber: '1', hiddenFromResident: text, paymentsEnabled: text }).account,
    ).toMatchObject({ hiddenFromResident: value, paymentsEnabled: value });
    expect(client({ keepOnSync: text }).keepOnSync).toBe(value);
  });

  it.each([
    ['premisesType', 'Комната', 'Квартира, Нежилое помещение, Машино-место, Кладовая, Коммерческое помещение'],
    [
      'clientType',
      'Физлицо',
      'Физическое лицо, Индивидуальный предприниматель, Юридическое лицо, Филиал иностранного юрлица',
    ],
    ['role', 'Жилец', 'Собственник, Совладелец, Арендатор, Член семьи, Представитель, Другое'],
    ['keepOnSync', 'Наверное', 'Да, Нет'],
    ['hiddenFromResident', 'скорее да', 'Да, Нет'],
    ['paymentsEnabled', '2', 'Да, Нет'],
    ['externalSpace', 'Продажи', 'Эксплуатация, Строительство'],
  ] as const)('unknown %s %j makes the row unusable and lists the allowed values', (key, text, allowed) => {
    const result = parse({
      ...ADDRESS,
      ...PERSON,
      accountNumber: '1',
      externalSystem: '1С',
      externalId: 'C-1',
      [key]: text,
    });
    expect(result.row).toBeNull();
    expect(result.problems).toEqual([
      expect.objectContaining({ column: null, code: 'ROW_REJECTED' }),
      {
        column: key,
        code: 'UNKNOWN_CHOICE',
        ru: `${header(key)}: «${text}» — нет в списке; допустимо: ${allowed}`,
        en: `${header(key)}: "${text}" — not in the list; allowed: ${allowed}`,
      },
    ]);
  });
});

describe('parseRegistryRow: entrance, floor, area', () => {
  it.each([
    ['1', 1],
    ['2', 2],
    ['100', 100],
  ])('entrance %j → %i', (text, entrance) => {
    expect(row({ ...ADDRESS, entrance: text }).premises.entrance).toBe(entrance);
  });

  it.each([
    ['-10', -10],
    ['−2', -2],
    ['–1', -1],
    ['0', 0],
    ['200', 200],
  ])('floor %j → %i', (text, floor) => {
    expect(row({ ...ADDRESS, floor: text }).premises.floor).toBe(floor);
  });

  it.each([
    ['54,30', '54.30'],
    ['54.3', '54.30'],
    ['54', '54.00'],
    ['0,5', '0.50'],
    ['054,3', '54.30'],
    ['1234567890.99', '1234567890.99'],
    [' 12,1 ', '12.10'],
  ])('area %j → %s', (text, area) => {
    expect(row({ ...ADDRESS, area: text }).premises.area).toBe(area);
  });

  it.each([
    ['entrance', '0', 'нужно целое число от 1 до 100'],
    ['entrance', '101', 'нужно целое число от 1 до 100'],
    ['entrance', '2.5', 'нужно целое число от 1 до 100'],
    ['entrance', 'второй', 'нужно целое число от 1 до 100'],
    ['floor', '-11', 'нужно целое число от -10 до 200'],
    ['floor', '201', 'нужно целое число от -10 до 200'],
    ['floor', '4 этаж', 'нужно целое число от -10 до 200'],
    ['area', '0', 'нужно число больше нуля, до двух знаков после запятой, например 54,30'],
    ['area', '-5', 'нужно число больше нуля, до двух знаков после запятой, например 54,30'],
    ['area', '54,333', 'нужно число больше нуля, до двух знаков после запятой, например 54,30'],
    ['area', '54 м²', 'нужно число больше нуля, до двух знаков после запятой, например 54,30'],
    ['area', '1 234,5', 'нужно число больше нуля, до двух знаков после запятой, например 54,30'],
  ] as const)('%s %j is reported and dropped; the row still imports', (key, text, reason) => {
    const result = parse({ ...ADDRESS, [key]: text });
    expect(result.row!.premises[key]).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ column: key, code: 'INVALID_NUMBER', ru: `${header(key)}: «${text}» — ${reason}` }),
    ]);
  });
});

describe('parseRegistryRow: phones', () => {
  it('reads two numbers in any writing as E.164, in order', () => {
    expect(client({ phones: '8 916 111-22-33; +7 495 123-45-67' }).phones).toEqual(['+79161112233', '+74951234567']);
  });

  it.each([
    ['9161112233', ['+79161112233']],
    ['79161112233', ['+79161112233']],
    ['8 (916) 111-22-33, 8 495 123 45 67', ['+79161112233', '+74951234567']],
    ['+7 916 111-22-33\n+7 495 123-45-67', ['+79161112233', '+74951234567']],
    ['8 916 111-22-33; +79161112233; 8-916-111-22-33', ['+79161112233']],
    [';', null],
  ])('%j → %j', (text, phones) => {
    expect(client({ phones: text }).phones).toEqual(phones);
  });

  it('reports a bad phone among two with the card’s wording and keeps the good one', () => {
    const result = parse({ ...ADDRESS, ...PERSON, phones: '8 916 11; +7 495 123-45-67' });
    expect(result.row!.client!.phones).toEqual(['+74951234567']);
    expect(result.problems).toEqual([
      {
        column: 'phones',
        code: 'INVALID_PHONE',
        ru: 'Телефоны: «8 916 11» — телефон не распознан: укажите его как +7 916 123-45-67',
        en: 'Телефоны: "8 916 11" — phone not recognized: write it as +7 916 123-45-67',
      },
    ]);
  });

  it('leaves the phones untouched (undefined, not cleared) when every one is bad', () => {
    const result = parse({ ...ADDRESS, ...PERSON, phones: '8 916 11; звонить вечером' });
    expect(result.row!.client!.phones).toBeUndefined();
    expect(codes(result)).toEqual([
      ['phones', 'INVALID_PHONE'],
      ['phones', 'INVALID_PHONE'],
    ]);
  });

  it('keeps the card’s limit of a login phone and 10 extra ones', () => {
    const numbers = Array.from({ length: 12 }, (_, i) => `+7 916 111-22-${String(i + 10)}`);
    const result = parse({ ...ADDRESS, ...PERSON, phones: numbers.join('; ') });
    expect(result.row!.client!.phones).toHaveLength(11);
    expect(result.problems).toEqual([
      expect.objectContaining({
        column: 'phones',
        code: 'TOO_MANY_PHONES',
        ru: expect.stringContaining('+79161112221'),
      }),
    ]);
  });
});

describe('parseRegistryRow: e-mail and documents (a bad value is dropped, the row imports)', () => {
  it.each([
    ['email', 'Ivanov@Mail.RU', 'ivanov@mail.ru'],
    ['inn', '500100732259', '500100732259'],
    ['snils', '112-233-445 95', '11223344595'],
    ['snils', '11223344595', '11223344595'],
    ['snils', '112 233 445 95', '11223344595'],
    ['passportSeries', '45 08', '4508'],
    ['passportSeries', '4508', '4508'],
    ['passportNumber', '123456', '123456'],
  ] as const)('%s %j → %s', (key, text, value) => {
    expect(client({ [key]: text })[key]).toBe(value);
  });

  it.each([
    ['email', 'ivanov@', 'INVALID_EMAIL', 'e-mail не распознан, например ivanov@mail.ru'],
    ['email', 'ivanov mail.ru', 'INVALID_EMAIL', 'e-mail не распознан, например ivanov@mail.ru'],
    [
      'inn',
      '500100732258',
      'INVALID_INN',
      'ИНН не прошёл проверку контрольной суммы (10 цифр для организации, 12 для физлица)',
    ],
    [
      'inn',
      '5001 0073 2259',
      'INVALID_INN',
      'ИНН не прошёл проверку контрольной суммы (10 цифр для организации, 12 для физлица)',
    ],
    ['inn', '7707083893', 'INVALID_INN', 'ИНН физлица или ИП — 12 цифр'],
    [
      'snils',
      '112-233-445 96',
      'INVALID_SNILS',
      'СНИЛС не прошёл проверку: 11 цифр в виде 112-233-445 95, сверьте номер с документом',
    ],
    [
      'snils',
      '1223344595',
      'INVALID_SNILS',
      'СНИЛС не прошёл проверку: 11 цифр в виде 112-233-445 95, сверьте номер с документом',
    ],
    ['passportSeries', '450', 'INVALID_PASSPORT_SERIES', 'серия паспорта — 4 цифры, например 45 08'],
    ['passportSeries', '45-08', 'INVALID_PASSPORT_SERIES', 'серия паспорта — 4 цифры, например 45 08'],
    ['passportNumber', '12345', 'INVALID_PASSPORT_NUMBER', 'номер паспорта — 6 цифр, например 123456'],
    ['passportNumber', '123 456', 'INVALID_PASSPORT_NUMBER', 'номер паспорта — 6 цифр, например 123456'],
  ] as const)('%s %j → %s, field dropped', (key, text, code, reason) => {
    const result = parse({ ...ADDRESS, ...PERSON, [key]: text });
    expect(result.row!.client![key]).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ column: key, code, ru: `${header(key)}: «${text}» — ${reason}` }),
    ]);
  });

  it('checks the INN length against the client type, as the card does', () => {
    const legal = { ...ADDRESS, clientType: 'Юридическое лицо', organizationName: 'ООО «Ромашка»' };
    expect(parse({ ...legal, inn: '7707083893' }).row!.client!.inn).toBe('7707083893');
    const result = parse({ ...legal, inn: '500100732259' });
    expect(result.row!.client!.inn).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ column: 'inn', code: 'INVALID_INN', ru: 'ИНН: «500100732259» — ИНН юрлица — 10 цифр' }),
    ]);
    const branch = { ...ADDRESS, clientType: 'Филиал иностранного юрлица', organizationName: 'Branch' };
    expect(parse({ ...branch, inn: '500100732259' }).row!.client!.inn).toBe('500100732259');
  });
});

describe('parseRegistryRow: birth date', () => {
  it.each([
    ['31.12.1980', '1980-12-31'],
    ['1.2.1980', '1980-02-01'],
    ['01.02.1980', '1980-02-01'],
    ['1980-12-31', '1980-12-31'],
    ['29.02.2024', '2024-02-29'],
    ['10.05.2024', '2024-05-10'],
    ['25569', '1970-01-01'],
    ['29586', '1980-12-31'],
    ['1', '1900-01-01'],
    ['59', '1900-02-28'],
    ['61', '1900-03-01'],
    ['45422', '2024-05-10'],
  ])('%j → %s', (text, date) => {
    expect(client({ birthDate: text }).birthDate).toBe(date);
  });

  it.each([
    ['29.02.2023', 'INVALID_DATE', 'такого дня нет в календаре'],
    ['31.04.2020', 'INVALID_DATE', 'такого дня нет в календаре'],
    ['2023-02-29', 'INVALID_DATE', 'такого дня нет в календаре'],
    ['60', 'INVALID_DATE', 'такого дня нет в календаре'],
    ['11.05.2024', 'DATE_IN_FUTURE', 'дата рождения не может быть позже сегодняшнего дня'],
    ['01.01.2999', 'DATE_IN_FUTURE', 'дата рождения не может быть позже сегодняшнего дня'],
    ['45423', 'DATE_IN_FUTURE', 'дата рождения не может быть позже сегодняшнего дня'],
    ['1980', 'INVALID_DATE', 'похоже на год, а нужна полная дата: ДД.ММ.ГГГГ, например 31.12.1980'],
    ['0', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
    ['100001', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
    ['25569.5', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
    ['31/12/1980', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
    ['31.12.80', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
    ['вчера', 'INVALID_DATE', 'дата не распознана: укажите её как ДД.ММ.ГГГГ, например 31.12.1980'],
  ])('%j is refused (%s), the field dropped and the row still imports', (text, code, reason) => {
    const result = parse({ ...ADDRESS, ...PERSON, birthDate: text });
    expect(result.row!.client!.birthDate).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ column: 'birthDate', code, ru: `Дата рождения: «${text}» — ${reason}` }),
    ]);
  });

  it('takes "today" from the clock by default', () => {
    const result = parseRegistryRow({
      rowNumber: 2,
      cells: { ...ADDRESS, ...PERSON, birthDate: '01.01.2999' },
      original: [],
    });
    expect(codes(result)).toEqual([['birthDate', 'DATE_IN_FUTURE']]);
  });
});

describe('parseRegistryRow: which rows have a client, and the names each type needs', () => {
  it('a row without client cells (or with blank ones) has no client', () => {
    expect(row(ADDRESS).client).toBeNull();
    expect(
      row({ ...ADDRESS, lastName: ' ', phones: '', tags: '', clientType: '', externalSpace: '' }).client,
    ).toBeNull();
  });

  it.each([
    ['clientType', 'Физическое лицо'],
    ['middleName', 'Иванович'],
    ['phones', '+79161112233'],
    ['email', 'a@b.ru'],
    ['birthDate', '31.12.1980'],
    ['inn', '500100732259'],
    ['snils', '11223344595'],
    ['passportSeries', '4508'],
    ['passportNumber', '123456'],
    ['role', 'Собственник'],
    ['keepOnSync', 'Да'],
    ['tags', 'VIP'],
  ] as const)('%s alone makes a client, which then lacks its names', (key, text) => {
    const result = parse({ ...ADDRESS, [key]: text });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([
      [null, 'ROW_REJECTED'],
      ['lastName', 'REQUIRED'],
      ['firstName', 'REQUIRED'],
    ]);
  });

  it.each(['', 'Физическое лицо', 'Индивидуальный предприниматель'])(
    'a person (type %j) needs a last name and a first name, as the card does',
    (type) => {
      const noLast = parse({ ...ADDRESS, clientType: type, firstName: 'Иван' });
      expect(noLast.row).toBeNull();
      expect(noLast.problems[1]).toEqual({
        column: 'lastName',
        code: 'REQUIRED',
        ru: 'Фамилия: укажите фамилию',
        en: 'Фамилия: last name is required',
      });
      const noFirst = parse({ ...ADDRESS, clientType: type, lastName: 'Иванов' });
      expect(noFirst.row).toBeNull();
      expect(noFirst.problems[1]).toEqual({
        column: 'firstName',
        code: 'REQUIRED',
        ru: 'Имя: укажите имя',
        en: 'Имя: first name is required',
      });
      expect(parse({ ...ADDRESS, clientType: type, ...PERSON }).problems).toEqual([]);
    },
  );

  it.each(['Юридическое лицо', 'Филиал иностранного юрлица'])(
    '%s needs the organization name, not a person’s',
    (type) => {
      const result = parse({ ...ADDRESS, clientType: type, lastName: 'Иванов', firstName: 'Иван', inn: '7707083893' });
      expect(result.row).toBeNull();
      expect(result.problems).toEqual([
        {
          column: null,
          code: 'ROW_REJECTED',
          ru: 'Строка не загружена — исправьте колонки: Наименование организации',
          en: 'Row not imported — fix the columns: Наименование организации',
        },
        {
          column: 'organizationName',
          code: 'REQUIRED',
          ru: 'Наименование организации: для юрлица укажите наименование',
          en: 'Наименование организации: a legal entity needs its name',
        },
      ]);
      expect(parse({ ...ADDRESS, clientType: type, organizationName: 'ООО «Ромашка»' }).row!.client).toMatchObject({
        organizationName: 'ООО «Ромашка»',
        lastName: undefined,
      });
    },
  );

  it('an unknown client type is reported alone: the names it needs cannot be told', () => {
    expect(codes(parse({ ...ADDRESS, clientType: 'Госорган', inn: '500100732259' }))).toEqual([
      [null, 'ROW_REJECTED'],
      ['clientType', 'UNKNOWN_CHOICE'],
    ]);
  });

  it('a too long name is reported once, not also as missing', () => {
    expect(codes(parse({ ...ADDRESS, lastName: 'Я'.repeat(101), firstName: 'Иван' }))).toEqual([
      [null, 'ROW_REJECTED'],
      ['lastName', 'TOO_LONG'],
    ]);
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

describe('parseRegistryRow: external id', () => {
  it.each([
    [{ externalSpace: 'Эксплуатация' }, CrmSpace.OPERATION],
    [{ externalSpace: 'строительство' }, CrmSpace.CONSTRUCTION],
    [{ externalSpace: 'CONSTRUCTION' }, CrmSpace.CONSTRUCTION],
    [{ externalSpace: '' }, null],
    [{}, null],
  ])('space %j → %s (null: the importer’s own)', (space, expected) => {
    expect(client({ ...space, externalSystem: ' 1С ', externalId: ' C-000123 ' }).externalId).toEqual({
      space: expected,
      system: '1С',
      value: 'C-000123',
    });
  });

  it('no identifier cells → null', () => {
    expect(client({ externalSystem: '', externalId: '' }).externalId).toBeNull();
  });

  it.each([
    [{ externalSystem: '1С' }, ['externalId']],
    [{ externalId: 'C-1' }, ['externalSystem']],
    [{ externalSystem: '1С', externalId: '  ' }, ['externalId']],
    [{ externalSpace: 'Эксплуатация' }, ['externalSystem', 'externalId']],
  ])('a half-filled identifier %j makes the row unusable', (cells, missing) => {
    const result = parse({ ...ADDRESS, ...PERSON, ...cells });
    expect(result.row).toBeNull();
    expect(codes(result)).toEqual([[null, 'ROW_REJECTED'], ...missing.map((key) => [key, 'EXTERNAL_ID_INCOMPLETE'])]);
    expect(result.problems[1].ru).toBe(
      `${header(missing[0] as RegistryKey)}: пусто, а внешний ID загружается только парой «Система ID + Внешний ID клиента»`,
    );
  });
});

describe('parseRegistryRow: tags', () => {
  it.each([
    ['Должник; Совет дома', ['Должник', 'Совет дома']],
    ['Должник;Совет  дома\nVIP', ['Должник', 'Совет дома', 'VIP']],
    ['VIP; vip ;  Vip', ['VIP']],
    ['Ёлка; елка', ['Ёлка']],
    ['Должник; ;; ', ['Должник']],
    [';;', null],
    ['Должник, злостный', ['Должник, злостный']],
  ])('%j → %j', (text, tags) => {
    expect(client({ tags: text }).tags).toEqual(tags);
  });

  it('drops a tag longer than the tags service allows and keeps the rest', () => {
    const long = 'М'.repeat(51);
    const result = parse({ ...ADDRESS, ...PERSON, tags: `VIP; ${long}; ${'Д'.repeat(50)}` });
    expect(result.row!.client!.tags).toEqual(['VIP', 'Д'.repeat(50)]);
    expect(result.problems).toEqual([
      expect.objectContaining({
        column: 'tags',
        code: 'TOO_LONG',
        ru: expect.stringContaining('метка не длиннее 50 символов'),
      }),
    ]);
  });

  it('leaves the tags untouched when every tag is refused', () => {
    expect(parse({ ...ADDRESS, ...PERSON, tags: 'М'.repeat(51) }).row!.client!.tags).toBeUndefined();
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
