import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Observable, from, lastValueFrom } from 'rxjs';
import { retryOnceOnTransactionFailure } from './database-errors';

/** Whether this handler is a root field of the Mutation type (not a query, a subscription or a field of a payload). */
export function isMutationRoot(context: ExecutionContext): boolean {
  if (context.getType<GqlContextType>() !== 'graphql') return false;
  const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
  return info?.parentType?.name === 'Mutation';
}

/**
 * Every mutation whose transaction died of a deadlock or a serialization failure is run once more
 * (database-errors.ts says when); a second failure reaches the error formatter, which answers CONFLICT.
 * Re-running the resolver is safe because a mutation's writes are one transaction: services open it
 * and dispatch notifications only after it commits (checked 2026-12: registration submit/approve/
 * reject, resident requestSignInCode/signIn). The only writes before it are rate-limit hits, which a
 * re-run counts once more; the integration API's batches retry each item's own transaction instead.
 * test/races.e2e.ts provokes a real deadlock.
 * `next.handle()` is deferred, so each subscription calls the resolver (its pipes included) again.
 */
@Injectable()
export class TransactionRetryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isMutationRoot(context)) return next.handle();
    return from(retryOnceOnTransactionFailure(() => lastValueFrom(next.handle())));
  }
}
