import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ResidentsModule } from '../residents/residents.module';
import { OPERATION_GATE } from './gate/gate.tokens';
import { OperationGate } from './gate/operation-gate';
import { GraphqlContextBuilder } from './graphql-context-builder';
import { GraphqlWsServer } from './graphql-ws';
import { LoadersModule } from './loaders.module';

/** What every GraphQL transport shares: the operation gate and the request context builder; and the graphql-ws server. */
@Module({
  imports: [AuthModule, LoadersModule, ResidentsModule],
  providers: [
    {
      provide: OPERATION_GATE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new OperationGate(config.graphql),
    },
    GraphqlContextBuilder,
    GraphqlWsServer,
  ],
  exports: [OPERATION_GATE, GraphqlContextBuilder],
})
export class GraphqlGatewayModule {}
