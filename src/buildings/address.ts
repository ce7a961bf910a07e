import { foldYo } from '../common/text/yo';

/**
 * Street-type words folded to one spelling, so "ул. Ленина" and "улица Ленина" are one street.
 * Short names follow the official address classifier (ФИАС SOCRBASE / ГАР "краткое наименование
 * типа элемента улично-дорожной сети"), plus the abbreviations clerks' files use for them. Left out
 * on purpose, because the word is also a common street name: «сад», «парк», «коса», «ряды», «городок».
 * «пр» stays a prospect (as clerks mostly mean it), though some files use it for «проезд».
 */
const STREET_WORDS: Record<string, string> = {
  ул: 'улица',
  улица: 'улица',
  'пр-кт': 'проспект',
  'пр-т': 'проспект',
  пр_т: 'проспект',
  пркт: 'проспект',
  пр: 'проспект',
  просп: 'проспект',
  проспект: 'проспект',
  ш: 'шоссе',
  'ш-се': 'шоссе',
  шоссе: 'шоссе',
  пер: 'переулок',
  'пер-к': 'переулок',
  переулок: 'переулок',
  'б-р': 'бульвар',
  бул: 'бульвар',
  бульв: 'бульвар',
  бульвар: 'бульвар',
  'пр-д': 'проезд',
  'пр-зд': 'проезд',
  проезд: 'проезд',
  наб: 'набережная',
  набережная: 'набережная',
  пл: 'площадь',
  площадь: 'площадь',
  мкр: 'микрорайон',
  мкрн: 'микрорайон',
  'мкр-н': 'микрорайон',
  микрорайон: 'микрорайон',
  ал: 'аллея',
  аллея: 'аллея',
  туп: 'тупик',
  тупик: 'тупик',
  линия: 'линия',
  тракт: 'тракт',
  'кв-л': 'квартал',
  квартал: 'квартал',
  проул: 'проулок',
  проулок: 'проулок',
  сквер: 'сквер',
  дор: 'дорога',
  дорога: 'дорога',
  тер: 'территория',
  территория: 'территория',
  спуск: 'спуск',
  въезд: 'въезд',
  заезд: 'заезд',
  переезд: 'переезд',
  просек: 'просек',
  проселок: 'проселок',
  'к-цо': 'кольцо',
  кольцо: 'кольцо',
  взв: 'взвоз',
  взвоз: 'взвоз',
  рзд: 'разъезд',
  разъезд: 'разъезд',
  мгстр: 'магистраль',
  магистраль: 'магистраль',
};
const STREET_TYPES = new Set(Object.values(STREET_WORDS));
const CITY_WORDS = new Set(['г', 'город', 'гор']);

/** Words that open the house number: "д. 5", "дом 5". */
const HOUSE_WORDS = new Set(['д', 'дом']);
/** Words that name a part of the house number, by kind: корпус, строение, литера. */
const PART_WORDS: Record<string, PartKind> = {
  к: 'block',
  кор: 'block',
  корп: 'block',
  корпус: 'block',
  с: 'structure',
  стр: 'structure',
  строение: 'structure',
  лит: 'letter',
  литер: 'letter',
  литера: 'letter',
};
type PartKind = 'block' | 'structure' | 'letter';

const SEPARATORS = /[.,;:"«»()№#]/g;
const SPACES = /\s+/;
/** "7к1", "д5", "стр2": a digit glued to a letter (or back) is two tokens. */
const DIGIT_LETTER = /(\d)(?=[^\d\s/-])|([^\d\s/-])(?=\d)/g;
/** A hyphen not between two digits ("7-а", "корп.-1") only separates; "12-14" keeps it. */
const LONE_HYPHEN = /-(?!\d)|(?<!\d)-/g;
/** "1-я Парковая" and "1я Парковая" are one street. */
const ORDINAL_HYPHEN = /(\d)-(?=[а-я])/g;
const PLAIN_NUMBER = /^\s*(\d*)\s*$/;

function lower(value: string | null | undefined): string {
  return foldYo((value ?? '').toLowerCase());
}

function tokens(value: string): string[] {
  return lower(value).replace(SEPARATORS, ' ').split(SPACES).filter(Boolean);
}

function normalizeStreet(street: string): string {
  return lower(street)
    .replace(ORDINAL_HYPHEN, '$1')
    .replace(SEPARATORS, ' ')
    .split(SPACES)
    .filter(Boolean)
    .map((t) => STREET_WORDS[t] ?? t)
    .sort()
    .join(' ');
}

/** Latin letters that look Cyrillic: a clerk's «7A» typed on an English layout is «7А». */
const LATIN_LOOKALIKES: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};
const LATIN = /[abcehkmoptxy]/g;

function houseTokens(value: string | null | undefined): string[] {
  return lower(value)
    .replace(LATIN, (c) => LATIN_LOOKALIKES[c])
    .replace(SEPARATORS, ' ')
    .replace(DIGIT_LETTER, '$1$2 ')
    .replace(LONE_HYPHEN, ' ')
    .split(SPACES)
    .filter(Boolean);
}

interface HouseParts {
  number: string;
  block: string;
  structure: string;
  letter: string;
}

/**
 * Reads one cell ("д. 7А корп. 1", "7к1", "7 стр. 2", "7 лит. Б") into its parts. A part word only
 * counts when a value follows it, so "7к" stays house «7к». `bare` is where a value without a part
 * word goes: the house number in the house cell, the корпус in the «Корпус» column.
 */
function readParts(cell: string | null | undefined, bare: 'number' | 'block', into: HouseParts): void {
  const words = houseTokens(cell);
  let i = bare === 'number' && HOUSE_WORDS.has(words[0]) && words.length > 1 ? 1 : 0;
  let target: keyof HouseParts = bare;
  for (; i < words.length; i++) {
    const kind = PART_WORDS[words[i]];
    if (kind && i + 1 < words.length) {
      target = kind;
      continue;
    }
    into[target] += words[i];
  }
}

/** The canonical house and block: "7а" and "1стр2" (корпус bare, строение and литера marked). */
function houseAndBlock(house: string | null | undefined, block: string | null | undefined): [string, string] {
  // Most registry rows: plain digits in both cells, nothing to read.
  const plainHouse = PLAIN_NUMBER.exec(house ?? '');
  const plainBlock = PLAIN_NUMBER.exec(block ?? '');
  if (plainHouse && plainBlock) return [plainHouse[1], plainBlock[1]];
  const parts: HouseParts = { number: '', block: '', structure: '', letter: '' };
  readParts(house, 'number', parts);
  const fromHouse = parts.block;
  parts.block = '';
  readParts(block, 'block', parts);
  // The same корпус written in both places is one; two different ones are kept, so nothing is lost.
  parts.block =
    !fromHouse || fromHouse === parts.block
      ? parts.block || fromHouse
      : parts.block
        ? `${fromHouse}+${parts.block}`
        : fromHouse;
  return [
    parts.number,
    `${parts.block}${parts.structure ? `стр${parts.structure}` : ''}${parts.letter ? `лит${parts.letter}` : ''}`,
  ];
}

/** The street's own name without its type word: a dispatcher types "Ленина" for "ул. Ленина". */
export function streetCore(street: string): string {
  return normalizeStreet(street)
    .split(' ')
    .filter((t) => !STREET_TYPES.has(t))
    .join(' ');
}

/** The house and block part of the natural key ("5|2"), for matching a building typed without its city. */
export function houseKey(address: Pick<AddressParts, 'house' | 'block'>): string {
  return houseAndBlock(address.house, address.block).join('|');
}

export interface AddressParts {
  city: string;
  street: string;
  house: string;
  block?: string | null;
}

/**
 * The natural key of a building: city, street (type word folded, words in any order), house and
 * block (корпус, строение, литера read from either cell), with case, ё, punctuation and "д."
 * prefixes ignored. The one rule for "same building": imports, the CRM, registration and the
 * duplicate merge (building-merge.ts) all call it. Cases in address.spec.ts.
 */
export function addressKey(address: AddressParts): string {
  const input = `${address.city}\u0001${address.street}\u0001${address.house}\u0001${address.block ?? ''}`;
  if (input === lastInput) return lastKey;
  const city = tokens(address.city)
    .filter((t) => !CITY_WORDS.has(t))
    .join(' ');
  lastKey = `${city}|${normalizeStreet(address.street)}|${houseKey(address)}`;
  lastInput = input;
  return lastKey;
}

/**
 * A registry lists one building on every flat's row (≈100 rows in a row): the last writing's key
 * is remembered, so the import's per-row calls cost a string comparison (a map of recent keys
 * was tried: its churn tripled the cost when every address differs).
 */
let lastInput = '';
let lastKey = '';

/**
 * The keys (without the city) this address may be stored under when the street's type word is
 * uncertain: residents type "Ленина 5" for "ул. Ленина, д. 5" (or "проспект Мира" for "Мира").
 */
export function streetHouseKeyVariants(address: Omit<AddressParts, 'city'>): string[] {
  const words = streetCore(address.street).split(' ').filter(Boolean);
  return [null, ...STREET_TYPES].map((type) =>
    [[...words, ...(type ? [type] : [])].sort().join(' '), houseKey(address)].join('|'),
  );
}

/** How staff read an address: "Москва, ул. Ленина, д. 5, корп. 2". */
export function displayAddress(address: AddressParts): string {
  const house = /^\d/.test(address.house.trim()) ? `д. ${address.house.trim()}` : address.house.trim();
  const block = address.block?.trim()
    ? `, ${/^\d/.test(address.block.trim()) ? `корп. ${address.block.trim()}` : address.block.trim()}`
    : '';
  return `${address.city.trim()}, ${address.street.trim()}, ${house}${block}`;
}

export function searchText(address: AddressParts): string {
  return foldYo(displayAddress(address).toLowerCase());
}
