import { AddressParts, displayAddress } from '../buildings/address';
import { PremisesType } from './premises-type';

const NUMBER_PREFIX: Record<PremisesType, string> = {
  [PremisesType.FLAT]: 'кв.',
  [PremisesType.NON_RESIDENTIAL]: 'пом.',
  [PremisesType.PARKING]: 'м/м',
  [PremisesType.STORAGE]: 'кладовая',
  [PremisesType.COMMERCIAL]: 'пом.',
};

/** How staff name a premises: "Москва, ул. Ленина, д. 5, кв. 12". */
export function premisesName(building: AddressParts, premises: { type: PremisesType; number: string }): string {
  return `${displayAddress(building)}, ${NUMBER_PREFIX[premises.type]} ${premises.number}`;
}
