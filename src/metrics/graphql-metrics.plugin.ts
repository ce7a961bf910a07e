import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { observeGraphqlOperation, operationLabel } from './metrics';

/** The error codes a response carries (after formatGraphqlError gave each its extensions.code). */
function errorCodes(context: GraphQLRequestContextWillSendResponse<object>): string[] {
  const { body } = context.response;
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  return (errors ?? []).map((error) =>
    typeof error.extensions?.code === 'string' ? error.extensions.code : 'UNKNOWN',
  );
}

/** The name the client gave its operation, also when validation failed before Apollo resolved it. */
function operationName(context: GraphQLRequestContextWillSendResponse<object>): string | undefined {
  if (context.operationName) return context.operationName;
  if (context.request.operationName) return context.request.operationName;
  const operations =
    context.document?.definitions.filter((definition) => definition.kind === 'OperationDefinition') ?? [];
  return operations.length === 1 && operations[0].kind === 'OperationDefinition'
    ? operations[0].name?.value
    : undefined;
}

/**
 * Latency per operation name and errors per code, for GraphQL over HTTP. One timestamp and one
 * histogram observation per operation: no per-field work (the contact card answers in about a millisecond).
 */
export const graphqlMetricsPlugin: ApolloServerPlugin<object> = {
  requestDidStart: () => {
    const started = process.hrtime.bigint();
    return Promise.resolve({
      willSendResponse: (context) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        observeGraphqlOperation(
          operationLabel(operationName(context)),
          context.operation?.operation ?? 'invalid',
          seconds,
          errorCodes(context),
        );
        return Promise.resolve();
      },
    });
  },
};
