import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthService } from '../auth/auth.service';
import { DomainException } from '../common/errors/domain.exception';
import { ResidentsService } from '../residents/residents.service';
import type { GraphqlContext } from './graphql-context';
import { RequestLoadersFactory } from './request-loaders';

/**
 * Builds the context of one operation, the same for HTTP and graphql-ws: who is calling (each realm's
 * token resolves to its own principal; the guard decides which operations it opens) and the request's
 * loaders. Over a socket it runs per subscribe message, so a revoked session cannot start new ones.
 */
@Injectable()
export class GraphqlContextBuilder {
  constructor(
    private readonly auth: AuthService,
    private readonly residents: ResidentsService,
    private readonly loaders: RequestLoadersFactory,
  ) {}

  async build(req: Request, authorization: string | undefined): Promise<GraphqlContext> {
    const context = { req } as GraphqlContext;
    try {
      const claims = this.auth.readClaims(authorization);
      if (claims?.realm === 'resident') context.resident = await this.residents.authenticate(claims);
      else if (claims) context.principal = await this.auth.authenticateStaff(claims);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      context.authError = error;
    }
    if (context.principal)
      context.loaders = this.loaders.create(
        context.principal.organizationId,
        context.principal.crmSpace,
        context.principal.specializationIds,
      );
    return context;
  }
}
