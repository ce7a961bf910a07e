import { registerEnumType } from '@nestjs/graphql';

export enum ExternalEntityType {
  BUILDING = 'BUILDING',
  PREMISES = 'PREMISES',
  ACCOUNT = 'ACCOUNT',
  CLIENT = 'CLIENT',
}

registerEnumType(ExternalEntityType, { name: 'ExternalEntityType' });
