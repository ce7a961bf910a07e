import { registerEnumType } from '@nestjs/graphql';
import { PremisesType } from './premises-type';

/**
 * The GraphQL names of these enums, registered by the GraphQL layer (graphql/graphql.config.ts) before
 * the schema is built. Kept apart from the enums, so code that only uses their values (the import's
 * reading thread) never loads @nestjs/graphql.
 */
registerEnumType(PremisesType, {
  name: 'PremisesType',
  description: 'Квартира, нежилое, машино-место, кладовая, коммерческое помещение',
});
