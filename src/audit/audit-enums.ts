import { registerEnumType } from '@nestjs/graphql';

/** Through which door a change came in. */
export enum AuditChannel {
  CRM = 'CRM',
  IMPORT = 'IMPORT',
  INTEGRATION = 'INTEGRATION',
  APP = 'APP',
}

export enum AuditEntityType {
  BUILDING = 'BUILDING',
  CLIENT = 'CLIENT',
  ACCOUNT = 'ACCOUNT',
  PREMISES = 'PREMISES',
  OCCUPANCY = 'OCCUPANCY',
  TAG = 'TAG',
  EXTERNAL_ID = 'EXTERNAL_ID',
  REGISTRATION_REQUEST = 'REGISTRATION_REQUEST',
  TICKET = 'TICKET',
}

registerEnumType(AuditChannel, { name: 'AuditChannel' });
registerEnumType(AuditEntityType, { name: 'AuditEntityType' });
