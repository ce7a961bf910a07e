import { ClientType } from './client-enums';
import type { ClientEntity } from './client.entity';
import { ClientImportWriter } from './client-import-writer';
import type { DomainEvents } from '../kernel/events';

// importValues and importChanges touch no dependency: the writer is built without one.
const service = new ClientImportWriter(null as unknown as DomainEvents);

type Values = Parameters<ClientImportWriter['importValues']>[1];

/** A card as the database holds it after an import of `values`. */
function storedCard(values: Values): ClientEntity {
  const card = service.newCard('00000000-0000-4000-8000-000000000001');
  expect(service.importValues(card, values)).toEqual([]);
  return card;
}

/** What importValues really does to a copy of the card: whether any audited field changes. */
function reallyChanges(card: ClientEntity, values: Values): boolean {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(card) as object) as ClientEntity, card, {
    extraPhones: [...card.extraPhones],
  });
  service.importValues(copy, values);
  const before = service.snapshotOf(card);
  const after = service.snapshotOf(copy);
  return Object.keys(before).some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

const IMPORTED: Values = {
  type: ClientType.INDIVIDUAL,
  lastName: 'Иванов',
  firstName: 'Иван',
  middleName: null,
  email: 'ivan@mail.ru',
  birthDate: '1980-02-01',
  inn: '500100732259',
  snils: '11223344595',
  passportSeries: '4510',
  passportNumber: '123456',
  phone: '+79161234567',
  extraPhones: ['+74951234567'],
};

describe('ClientImportWriter.importChanges (the re-import fast path) agrees with importValues', () => {
  const card = storedCard(IMPORTED);

  it.each<[string, Values, boolean]>([
    ['the same row again', { ...IMPORTED }, false],
    [
      'cells with spaces around and an upper-case e-mail, stored the same',
      { ...IMPORTED, lastName: '  Иванов ', email: 'IVAN@MAIL.RU' },
      false,
    ],
    [
      'SNILS and passport series written with separators',
      { ...IMPORTED, snils: '112-233-445 95', passportSeries: '45 10' },
      false,
    ],
    ['only some columns, all equal', { lastName: 'Иванов', phone: '+79161234567' }, false],
    ['an empty cell where the card is empty (REPLACE)', { ...IMPORTED, middleName: '' }, false],
    [
      'the login phone repeated among the extra phones',
      { ...IMPORTED, extraPhones: ['+79161234567', '+74951234567'] },
      false,
    ],
    ['a new middle name', { ...IMPORTED, middleName: 'Иванович' }, true],
    ['an emptied e-mail (REPLACE)', { ...IMPORTED, email: null }, true],
    ['another login phone', { ...IMPORTED, phone: '+79160000000' }, true],
    ['a removed login phone', { ...IMPORTED, phone: null }, true],
    ['one more extra phone', { ...IMPORTED, extraPhones: ['+74951234567', '+74950000000'] }, true],
    ['extra phones in another order', { ...IMPORTED, extraPhones: ['+74950000000', '+74951234567'] }, true],
    ['no extra phones', { ...IMPORTED, extraPhones: [] }, true],
    ['another type', { ...IMPORTED, type: ClientType.SOLE_PROPRIETOR }, true],
    ['another birth date', { ...IMPORTED, birthDate: '1980-02-02' }, true],
  ])('%s', (_case, values, changes) => {
    expect(reallyChanges(card, values)).toBe(changes);
    expect(service.importChanges(card, values)).toBe(changes);
  });

  it('leaves the card untouched', () => {
    const before = JSON.stringify(card);
    service.importChanges(card, { ...IMPORTED, middleName: 'Иванович', extraPhones: [] });
    expect(JSON.stringify(card)).toBe(before);
  });
});
