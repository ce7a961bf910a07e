import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request } from 'express';
import { AuthModule } from '../auth/auth.module';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/config';
import { DomainException } from '../common/errors/domain.exception';
import { formatGraphqlError } from '../common/errors/format-graphql-error';
import { queryLimitsPlugin } from '../common/graphql/query-limits.plugin';
import { GraphqlContext } from './graphql-context';
import { LoadersModule } from './loaders.module';
import { ResidentsModule } from '../residents/residents.module';
import { ResidentsService } from '../residents/residents.service';
import { RequestLoadersFactory } from './request-loaders';

/** The GraphQL endpoint: code-first schema, per-request auth and loaders, one error formatter, query limits. */
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
      plugins: [queryLimitsPlugin(config.graphql)],
      context: async ({ req }: { req: Request }): Promise<GraphqlContext> => {
        const context = { req } as GraphqlContext;
        try {
          // Each realm's token resolves to its own principal; the guard decides which operations it opens.
          const claims = auth.readClaims(req.headers.authorization);
          if (claims?.realm === 'resident') context.resident = await residents.authenticate(claims);
          else if (claims) context.principal = await auth.authenticateStaff(claims);
        } catch (error) {
          if (!(error instanceof DomainException)) throw error;
          context.authError = error;
        }
        if (context.principal) context.loaders = loaders.create(context.principal.organizationId, context.principal.crmSpace, context.principal.employeeId);
        return context;
      },
    }),
  });
}
