import { registerEnumType } from '@nestjs/graphql';

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

registerEnumType(AuditEntityType, { name: 'AuditEntityType' });
