import { registerEnumType } from '@nestjs/graphql';
import { OccupancyRole, OccupancySource } from './occupancy-enums';

/**
 * The GraphQL names of these enums, registered by the GraphQL layer (graphql/graphql.config.ts) before
 * the schema is built. Kept apart from the enums, so code that only uses their values (the import's
 * reading thread) never loads @nestjs/graphql.
 */
registerEnumType(OccupancyRole, { name: 'OccupancyRole' });
registerEnumType(OccupancySource, { name: 'OccupancySource', description: 'How the client came to be attached' });
