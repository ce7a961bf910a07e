import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { personalDataReadsPlugin } from '../clients/personal-data-reads.plugin';
import { AppConfig } from '../config/config';
import { formatGraphqlError, noteErrorsRequest } from '../common/errors/format-graphql-error';
import { requestIdOf } from '../common/context/request-context.middleware';
import { apolloGatePlugin } from './gate/apollo-gate.plugin';
import { OPERATION_GATE } from './gate/gate.tokens';
import { guardRootFields } from './gate/guard-root-fields';
import { OperationGate } from './gate/operation-gate';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
import { graphiqlLandingPagePlugin } from '../graphql-ide/graphiql.plugin';
import { GraphqlContext } from './graphql-context';
import { GraphqlContextBuilder } from './graphql-context-builder';
import { GraphqlGatewayModule } from './graphql-gateway.module';
import { SCHEMA_BUILD_OPTIONS } from './resolvers';
// The GraphQL names of enums whose files stay free of @nestjs/graphql (the import's reading thread loads them).
import '../clients/client-enums.graphql';
import '../kernel/crm-space.graphql';
import '../occupancy/occupancy-enums.graphql';
import '../premises/premises-type.graphql';

type ApolloPlugins = NonNullable<ApolloDriverConfig['plugins']>;

/** Lets formatGraphqlError name the request of an unhandled error (noteErrorsRequest). */
const requestIdPlugin: ApolloPlugins[number] = {
  requestDidStart: () =>
    Promise.resolve({
      didEncounterErrors: ({ errors, contextValue }: { errors: readonly object[]; contextValue: unknown }) => {
        noteErrorsRequest(errors, requestIdOf((contextValue as Partial<GraphqlContext> | undefined)?.req));
        return Promise.resolve();
      },
    }),
};

/**
 * The GraphQL endpoint over HTTP: code-first schema, one error formatter, and the shared gateway (the
 * OperationGate and the context builder) that graphql-ws uses too (GraphqlWsServer).
 */
export function graphqlModule(config: AppConfig): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    imports: [GraphqlGatewayModule],
    inject: [GraphqlContextBuilder, OPERATION_GATE, AuditService, getDataSourceToken()],
    useFactory: (
      contexts: GraphqlContextBuilder,
      gate: OperationGate,
      audit: AuditService,
      dataSource: DataSource,
    ): ApolloDriverConfig => ({
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      playground: false,
      introspection: config.graphql.introspection,
      includeStacktraceInErrorResponses: false,
      formatError: formatGraphqlError,
      buildSchemaOptions: SCHEMA_BUILD_OPTIONS,
      transformSchema: (schema) => guardRootFields(schema, gate),
      // Apollo installs its cache-control plugin unless told not to: it wraps every field's resolver to
      // collect HTTP cache hints this API never sends (every answer is per caller), and allocated more per
      // request than the fields themselves (bench/clients.ts). Inline tracing is for Apollo Studio.
      // (Our CommonJS build gets @apollo/server's CommonJS plugins, the driver its ES module types: the
      // plugins are plain marker objects, alike at runtime.)
      plugins: [
        apolloGatePlugin(gate),
        requestIdPlugin,
        personalDataReadsPlugin(audit, dataSource),
        graphqlMetricsPlugin as ApolloPlugins[number],
        ...(config.observability.graphqlIde ? [graphiqlLandingPagePlugin() as ApolloPlugins[number]] : []),
        ...([
          ApolloServerPluginCacheControlDisabled(),
          ApolloServerPluginInlineTraceDisabled(),
        ] as unknown as ApolloPlugins),
      ],
      context: ({ req }: { req: Request }): Promise<GraphqlContext> => contexts.build(req, req.headers.authorization),
    }),
  });
}
