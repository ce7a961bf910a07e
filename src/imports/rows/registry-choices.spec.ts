import { PremisesType } from '../../premises/premises-type';
import { choiceValue, readChoice } from './registry-choices';

describe('registry choices', () => {
  it('reads a choice whatever its case, ё and spacing, the same way every time it meets it', () => {
    for (let i = 0; i < 3; i++) {
      expect(readChoice('premisesType', 'Квартира').value).toBe(PremisesType.FLAT);
      expect(readChoice('premisesType', 'машино-МЕСТО').value).toBe(PremisesType.PARKING);
      expect(readChoice('premisesType', 'Нежилое   помещение').value).toBe(PremisesType.NON_RESIDENTIAL);
      expect(readChoice('hiddenFromResident', 'Да').value).toBe('true');
      expect(readChoice('premisesType', 'Дворец').value).toBeUndefined();
      expect(choiceValue('premisesType', '  кладовая ')).toBe(PremisesType.STORAGE);
    }
    expect(readChoice('premisesType', 'Дворец').allowed).toContain('Квартира');
  });

  it('answers texts beyond what it keeps as it answers the first ones', () => {
    for (let i = 0; i < 600; i++)
      expect(readChoice('paymentsEnabled', `нет${' '.repeat(i % 3)}${i}`).value).toBeUndefined();
    // Every number of spaces is another spelling of one choice: more of them than are kept.
    for (let spaces = 1; spaces <= 400; spaces++)
      expect(readChoice('premisesType', `Нежилое${' '.repeat(spaces)}помещение`).value).toBe(
        PremisesType.NON_RESIDENTIAL,
      );
    expect(readChoice('paymentsEnabled', 'НЕТ').value).toBe('false');
    expect(readChoice('paymentsEnabled', 'yes').value).toBe('true');
  });
});
