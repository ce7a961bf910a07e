import { registerEnumType } from '@nestjs/graphql';

export enum OccupancyRole {
  OWNER = 'OWNER',
  CO_OWNER = 'CO_OWNER',
  TENANT = 'TENANT',
  FAMILY_MEMBER = 'FAMILY_MEMBER',
  REPRESENTATIVE = 'REPRESENTATIVE',
  OTHER = 'OTHER',
}

export enum OccupancySource {
  MANUAL = 'MANUAL',
  IMPORT = 'IMPORT',
  REGISTRATION = 'REGISTRATION',
  INTEGRATION = 'INTEGRATION',
}

registerEnumType(OccupancyRole, { name: 'OccupancyRole' });
registerEnumType(OccupancySource, { name: 'OccupancySource', description: 'How the client came to be attached' });
