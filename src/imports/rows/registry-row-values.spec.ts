import { ClientType } from '../../clients/client-enums';

import { OccupancyRole } from '../../occupancy/occupancy-enums';
import { PremisesType } from '../../premises/premises-type';

import { ADDRESS, PERSON, client, header, parse, row } from '../../../test/support/registry-row-parsing';

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
