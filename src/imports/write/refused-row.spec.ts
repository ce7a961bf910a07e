import { PremisesType } from '../../premises/premises-type';
import { locateRefusedRow } from './refused-row';

/** Sync leaves the residents of a refused row's premises alone: it must find that premises from the raw cells. */
describe('locateRefusedRow', () => {
  const raw = (cells: Record<string, string>) => ({ rowNumber: 5, cells, original: [] });
  const address = { city: ' Тула ', street: 'ул. Мира', house: '1', premisesNumber: '12' };

  it('reads the address and the premises from the cells, a flat when the type cell is empty', () => {
    expect(locateRefusedRow(raw(address))).toEqual({
      building: { city: 'Тула', street: 'ул. Мира', house: '1', block: null },
      premises: { type: PremisesType.FLAT, number: '12' },
    });
    expect(locateRefusedRow(raw({ ...address, block: '2', premisesType: 'машино-место' }))).toEqual({
      building: { city: 'Тула', street: 'ул. Мира', house: '1', block: '2' },
      premises: { type: PremisesType.PARKING, number: '12' },
    });
  });

  it.each([
    ['no city', { ...address, city: ' ' }],
    ['no house', { ...address, house: '' }],
    ['no premises number', { ...address, premisesNumber: '' }],
    ['a type the template does not know', { ...address, premisesType: 'гараж' }],
  ])('cannot locate a row with %s', (_case, cells) => {
    expect(locateRefusedRow(raw(cells))).toBeNull();
  });
});
