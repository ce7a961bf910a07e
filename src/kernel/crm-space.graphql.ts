import { registerEnumType } from '@nestjs/graphql';
import { CrmSpace } from './crm-space';

/**
 * The GraphQL names of these enums, registered by the GraphQL layer (graphql/graphql.config.ts) before
 * the schema is built. Kept apart from the enums, so code that only uses their values (the import's
 * reading thread) never loads @nestjs/graphql.
 */
registerEnumType(CrmSpace, {
  name: 'CrmSpace',
  description: 'OPERATION (эксплуатация) or CONSTRUCTION (строительство)',
});
