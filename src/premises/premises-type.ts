import { registerEnumType } from '@nestjs/graphql';

export enum PremisesType {
  FLAT = 'FLAT',
  NON_RESIDENTIAL = 'NON_RESIDENTIAL',
  PARKING = 'PARKING',
  STORAGE = 'STORAGE',
  COMMERCIAL = 'COMMERCIAL',
}

registerEnumType(PremisesType, {
  name: 'PremisesType',
  description: 'Квартира, нежилое, машино-место, кладовая, коммерческое помещение',
});
