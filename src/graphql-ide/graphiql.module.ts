import { Module } from '@nestjs/common';
import { GraphiqlController } from './graphiql.controller';

/** GraphiQL's files; imported only when GRAPHQL_IDE is on (ObservabilityConfig.graphqlIde). */
@Module({ controllers: [GraphiqlController] })
export class GraphiqlModule {}
