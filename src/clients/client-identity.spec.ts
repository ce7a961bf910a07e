import { assignPhones, IdentityCard, IdentityCandidate, IdentitySources, matchIdentity } from './client-identity';
import { nameKey } from './client-names';
import { ClientType } from './client-enums';
import { normalizePhone } from '../common/validation/phone';

const key = (full: string) => {
  const [lastName, firstName, middleName] = full.split(' ');
  return nameKey({ type: ClientType.INDIVIDUAL, lastName, firstName, middleName });
};
const P = normalizePhone('+7 916 440-55-55')!;
const Q = normalizePhone('8 (926) 111-22-33')!;
const card = (id: string, full: string, phone: string | null, extraPhones: string[] = []): IdentityCard => ({
  id,
  nameKey: key(full),
  phone,
  extraPhones,
});

const igor = card('igor', 'Орлов Игорь Петрович', P);
const irina = card('irina', 'Орлова Ирина Сергеевна', null, [P]);
const namesakeWithOtherPhone = card('other-igor', 'Орлов Игорь Петрович', Q);
const withExtra = card('extra', 'Петров Пётр Петрович', Q, [P]);

describe('matchIdentity', () => {
  const cases: [string, IdentityCandidate, IdentitySources, ReturnType<typeof matchIdentity>][] = [
    [
      'an external id decides, whatever the name and phone',
      { nameKey: key('Кто Угодно'), phones: [Q] },
      { externalMatchId: 'igor', cardsWithPhones: [igor] },
      { by: 'externalId', clientId: 'igor' },
    ],
    [
      'an external id of the other CRM space decides as well (the caller resolved it in any space)',
      { nameKey: key('Орлов Игорь Петрович'), phones: [] },
      { externalMatchId: 'irina' },
      { by: 'externalId', clientId: 'irina' },
    ],
    [
      'same name and the login phone → that card',
      { nameKey: key('Орлов Игорь Петрович'), phones: [P] },
      { cardsWithPhones: [igor, irina] },
      { by: 'nameAndPhone', clientId: 'igor' },
    ],
    [
      'same name with ё and other case → that card',
      { nameKey: key('ОРЛОВА Ирина СЕРГЕЕВНА'), phones: [P] },
      { cardsWithPhones: [igor, irina] },
      { by: 'nameAndPhone', clientId: 'irina' },
    ],
    [
      'same name and a contact (extra) phone → that card',
      { nameKey: key('Петров Петр Петрович'), phones: [P] },
      { cardsWithPhones: [igor, withExtra] },
      { by: 'nameAndPhone', clientId: 'extra' },
    ],
    [
      'the family case: another name on the same phone → nobody (a new card)',
      { nameKey: key('Орлова Ирина Сергеевна'), phones: [P] },
      { cardsWithPhones: [igor] },
      { by: 'none' },
    ],
    [
      'a namesake with another phone is another person',
      { nameKey: key('Орлов Игорь Петрович'), phones: [P] },
      { cardsWithPhones: [], premisesResidents: [] },
      { by: 'none' },
    ],
    [
      'of two namesakes the one carrying the phone',
      { nameKey: key('Орлов Игорь Петрович'), phones: [Q] },
      { cardsWithPhones: [namesakeWithOtherPhone] },
      { by: 'nameAndPhone', clientId: 'other-igor' },
    ],
    [
      'of two namesakes carrying the phone, the one who signs in with it',
      { nameKey: key('Орлов Игорь Петрович'), phones: [P] },
      { cardsWithPhones: [card('x', 'Орлов Игорь Петрович', Q, [P]), igor] },
      { by: 'nameAndPhone', clientId: 'igor' },
    ],
    [
      'no phone: the same name among the premises’ residents',
      { nameKey: key('Орлова Ирина Сергеевна'), phones: [] },
      { premisesResidents: [igor, irina] },
      { by: 'premisesResident', clientId: 'irina' },
    ],
    [
      'no phone and no resident of that name → new',
      { nameKey: key('Сидоров Сидор'), phones: [] },
      { premisesResidents: [igor, irina] },
      { by: 'none' },
    ],
    [
      'a phone match without a name never matches (an empty name is nobody)',
      { nameKey: '', phones: [P] },
      { cardsWithPhones: [card('blank', '', P)] },
      { by: 'none' },
    ],
  ];
  it.each(cases)('%s', (_title, candidate, sources, expected) => {
    expect(matchIdentity(candidate, sources)).toEqual(expected);
  });
});

describe('assignPhones', () => {
  const owners = new Map([[P, 'igor']]);
  const ownerOf = (phone: string) => owners.get(phone);
  const cases: [string, string, string | null, string[], ReturnType<typeof assignPhones>][] = [
    [
      'a new card takes the first free phone as login',
      'new',
      null,
      [Q, P],
      { login: Q, extra: [P], shared: [{ phone: P, loginOwnerId: 'igor' }] },
    ],
    [
      'another card’s login stays a contact phone, and is reported',
      'irina',
      null,
      [P],
      { login: null, extra: [P], shared: [{ phone: P, loginOwnerId: 'igor' }] },
    ],
    ['the owner of the login keeps it, nothing shared', 'igor', P, [P], { login: P, extra: [], shared: [] }],
    [
      'an existing login is never replaced by a listed phone',
      'extra',
      Q,
      [P, Q],
      { login: Q, extra: [P], shared: [{ phone: P, loginOwnerId: 'igor' }] },
    ],
    ['repeated phones count once', 'new', null, [Q, Q], { login: Q, extra: [], shared: [] }],
  ];
  it.each(cases)('%s', (_title, cardId, login, listed, expected) => {
    expect(assignPhones(cardId, login, listed, ownerOf)).toEqual(expected);
  });
});
