import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { AuthModule } from '../auth/auth.module';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/config';
import { DomainException } from '../common/errors/domain.exception';
import { formatGraphqlError, noteErrorsRequest } from '../common/errors/format-graphql-error';
import { requestIdOf } from '../common/context/request-context.middleware';
import { queryLimitsPlugin } from '../common/graphql/query-limits.plugin';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
import { graphiqlLandingPagePlugin } from '../graphql-ide/graphiql.plugin';
import { GraphqlContext } from './graphql-context';
import { graphqlWsOptions, isWsContext, WsContext } from './graphql-ws';
import { LoadersModule } from './loaders.module';
import { ResidentsModule } from '../residents/residents.module';
import { ResidentsService } from '../residents/residents.service';
import { RequestLoadersFactory } from './request-loaders';

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

/** The GraphQL endpoint: code-first schema, per-request auth and loaders, one error formatter, query limits, subscriptions over graphql-ws. */
export function graphqlModule(config: AppConfig): DynamicModule {
  return GraphQLModule.forRootAsync<ApolloDriverConfig>({
    driver: ApolloDriver,
    imports: [AuthModule, LoadersModule, ResidentsModule],
    inject: [AuthService, RequestLoadersFactory, ResidentsService],
    useFactory: (auth: AuthService, loaders: RequestLoadersFactory, residents: ResidentsService): ApolloDriverConfig => ({
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      playground: false,
      introspection: true,
      includeStacktraceInErrorResponses: false,
      formatError: formatGraphqlError,
      // Apollo installs its cache-control plugin unless told not to: it wraps every field's resolver to
      // collect HTTP cache hints this API never sends (every answer is per caller), and allocated more per
      // request than the fields themselves (bench/clients.ts). Inline tracing is for Apollo Studio.
      // (Our CommonJS build gets @apollo/server's CommonJS plugins, the driver its ES module types: the
      // plugins are plain marker objects, alike at runtime.)
      plugins: [queryLimitsPlugin(config.graphql), requestIdPlugin, graphqlMetricsPlugin as ApolloPlugins[number], ...(config.observability.graphqlIde ? [graphiqlLandingPagePlugin() as ApolloPlugins[number]] : []), ...([ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()] as unknown as ApolloPlugins)],
      subscriptions: { 'graphql-ws': graphqlWsOptions('/graphql') },
      // HTTP passes { req }; graphql-ws passes its socket context once per subscribe message, so a
      // subscription is authenticated exactly like a request (and a revoked session cannot start new ones).
      context: async (input: { req: Request } | WsContext): Promise<GraphqlContext> => {
        const ws = isWsContext(input);
        // Over a socket `req` is the upgrade request: headers and socket are there, Express extras are not.
        const req = ws ? (input.extra.request as Request) : input.req;
        const authorization = ws ? input.extra.authorization : req.headers.authorization;
        const context = { req } as GraphqlContext;
        try {
          // Each realm's token resolves to its own principal; the guard decides which operations it opens.
          const claims = auth.readClaims(authorization);
          if (claims?.realm === 'resident') context.resident = await residents.authenticate(claims);
          else if (claims) context.principal = await auth.authenticateStaff(claims);
        } catch (error) {
          if (!(error instanceof DomainException)) throw error;
          context.authError = error;
        }
        if (context.principal) context.loaders = loaders.create(context.principal.organizationId, context.principal.crmSpace, context.principal.specializationIds);
        return context;
      },
    }),
  });
}
