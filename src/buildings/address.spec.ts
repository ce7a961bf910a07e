import { addressKey, displayAddress, streetHouseKeyVariants } from './address';

describe('addressKey', () => {
  const base = addressKey({ city: 'Москва', street: 'ул. Ленина', house: '5', block: '2' });

  it.each([
    { city: 'г. Москва', street: 'улица Ленина', house: 'д. 5', block: 'корп. 2' },
    { city: 'москва', street: 'Ленина ул', house: 'Д5', block: 'к2' },
    { city: 'МОСКВА', street: 'Ленина, ул.', house: ' 5 ', block: 'корпус 2' },
  ])('treats %j as the same building', (address) => {
    expect(addressKey(address)).toBe(base);
  });

  it('folds ё and street-type abbreviations', () => {
    expect(addressKey({ city: 'Королёв', street: 'пр-т Мира', house: '1' })).toBe(addressKey({ city: 'Королев', street: 'проспект Мира', house: '1' }));
  });

  it.each([
    { city: 'Москва', street: 'ул. Ленина', house: '5', block: '3' },
    { city: 'Москва', street: 'пр. Ленина', house: '5', block: '2' },
    { city: 'Москва', street: 'ул. Ленина', house: '5А', block: '2' },
    { city: 'Казань', street: 'ул. Ленина', house: '5', block: '2' },
  ])('tells %j apart', (address) => {
    expect(addressKey(address)).not.toBe(base);
  });
});

describe('displayAddress', () => {
  it('writes the address the way staff read it', () => {
    expect(displayAddress({ city: 'Москва', street: 'ул. Ленина', house: '5', block: '2' })).toBe('Москва, ул. Ленина, д. 5, корп. 2');
    expect(displayAddress({ city: 'Москва', street: 'ул. Ленина', house: 'влд. 7', block: 'стр. 1' })).toBe('Москва, ул. Ленина, влд. 7, стр. 1');
  });
});

describe('streetHouseKeyVariants', () => {
  it('finds "ул. Ленина, д. 5" from "Ленина 5" and from "улица Ленина", but not another house', () => {
    const stored = addressKey({ city: 'Москва', street: 'ул. Ленина', house: 'д. 5' }).split('|').slice(1).join('|');
    expect(streetHouseKeyVariants({ street: 'Ленина', house: '5' })).toContain(stored);
    expect(streetHouseKeyVariants({ street: 'улица Ленина', house: '5' })).toContain(stored);
    expect(streetHouseKeyVariants({ street: 'Ленина', house: '6' })).not.toContain(stored);
  });
});
