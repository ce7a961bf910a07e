import { registerEnumType } from '@nestjs/graphql';
import { ClientStatus, ClientType, Gender } from './client-enums';

/**
 * The GraphQL names of these enums, registered by the GraphQL layer (graphql/graphql.config.ts) before
 * the schema is built. Kept apart from the enums, so code that only uses their values (the import's
 * reading thread) never loads @nestjs/graphql.
 */
registerEnumType(ClientStatus, { name: 'ClientStatus', description: 'BLOCKED clients lose the app’s features' });
registerEnumType(ClientType, {
  name: 'ClientType',
  description:
    'INDIVIDUAL (физлицо), SOLE_PROPRIETOR (ИП), LEGAL_ENTITY (юрлицо), FOREIGN_BRANCH (филиал иностранного юрлица)',
});
registerEnumType(Gender, { name: 'Gender' });
