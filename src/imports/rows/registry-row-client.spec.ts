import { CrmSpace } from '../../kernel/crm-space';

import { RegistryKey } from '../registry-columns';

import { parseRegistryRow } from './registry-row-parser';
import { ADDRESS, PERSON, client, codes, header, parse, row } from '../../../test/support/registry-row-parsing';

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
