/** Street-type abbreviations folded to one spelling, so "ул. Ленина" and "улица Ленина" are one street. */
const STREET_WORDS: Record<string, string> = {
  ул: 'улица', улица: 'улица',
  пр: 'проспект', просп: 'проспект', 'пр-т': 'проспект', проспект: 'проспект', пр_т: 'проспект',
  пер: 'переулок', переулок: 'переулок',
  ш: 'шоссе', шоссе: 'шоссе',
  'б-р': 'бульвар', бул: 'бульвар', бульвар: 'бульвар',
  наб: 'набережная', набережная: 'набережная',
  пл: 'площадь', площадь: 'площадь',
  'пр-д': 'проезд', проезд: 'проезд',
  туп: 'тупик', тупик: 'тупик',
  мкр: 'микрорайон', микрорайон: 'микрорайон', мкрн: 'микрорайон',
};
const CITY_WORDS = new Set(['г', 'город', 'гор']);
const HOUSE_WORDS = /^(дом|д)\.?\s*/;
const BLOCK_WORDS = /^(корпус|корп|к|строение|стр|литера|лит)\.?\s*/;

function tokens(value: string): string[] {
  return value
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[.,;:"«»()]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function normalizeStreet(street: string): string {
  return tokens(street)
    .map((t) => STREET_WORDS[t] ?? t)
    .sort()
    .join(' ');
}

function compact(value: string | null | undefined, prefix: RegExp): string {
  return (value ?? '').toLowerCase().replace(/ё/g, 'е').trim().replace(prefix, '').replace(/[\s.,]/g, '');
}

const STREET_TYPES = new Set(Object.values(STREET_WORDS));

/** The street's own name without its type word: a dispatcher types "Ленина" for "ул. Ленина". */
export function streetCore(street: string): string {
  return normalizeStreet(street).split(' ').filter((t) => !STREET_TYPES.has(t)).join(' ');
}

/** The house and block part of the natural key ("5|2"), for matching a building typed without its city. */
export function houseKey(address: Pick<AddressParts, 'house' | 'block'>): string {
  return addressKey({ city: '', street: '', house: address.house, block: address.block }).split('|').slice(2).join('|');
}

export interface AddressParts {
  city: string;
  street: string;
  house: string;
  block?: string | null;
}

/**
 * The natural key of a building: city, street (type word folded, words in any order), house and
 * block, with case, ё, punctuation and "д."/"корп." prefixes ignored.
 */
export function addressKey(address: AddressParts): string {
  const city = tokens(address.city).filter((t) => !CITY_WORDS.has(t)).join(' ');
  return [city, normalizeStreet(address.street), compact(address.house, HOUSE_WORDS), compact(address.block, BLOCK_WORDS)].join('|');
}

/**
 * The keys (without the city) this address may be stored under when the street's type word is
 * uncertain: residents type "Ленина 5" for "ул. Ленина, д. 5" (or "проспект Мира" for "Мира").
 */
export function streetHouseKeyVariants(address: Omit<AddressParts, 'city'>): string[] {
  const words = streetCore(address.street).split(' ').filter(Boolean);
  return [null, ...STREET_TYPES].map((type) => [[...words, ...(type ? [type] : [])].sort().join(' '), houseKey(address)].join('|'));
}

/** How staff read an address: "Москва, ул. Ленина, д. 5, корп. 2". */
export function displayAddress(address: AddressParts): string {
  const house = /^\d/.test(address.house.trim()) ? `д. ${address.house.trim()}` : address.house.trim();
  const block = address.block?.trim() ? `, ${/^\d/.test(address.block.trim()) ? `корп. ${address.block.trim()}` : address.block.trim()}` : '';
  return `${address.city.trim()}, ${address.street.trim()}, ${house}${block}`;
}

export function searchText(address: AddressParts): string {
  return displayAddress(address).toLowerCase().replace(/ё/g, 'е');
}
