import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { OperationGate } from './operation-gate';

type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/**
 * HTTP's way into the OperationGate: Apollo has parsed and validated the document, and nothing has run.
 * A refusal thrown here is a request error with HTTP 400 (the gate's errors carry the status).
 */
export function apolloGatePlugin(gate: OperationGate): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({
          schema,
          document,
          operation,
          request,
          contextValue,
        }: {
          schema: import('graphql').GraphQLSchema;
          document: DocumentNode;
          operation?: OperationDefinitionNode | null;
          request: { operationName?: string | null; variables?: Record<string, unknown> | null };
          contextValue: object;
        }) {
          if (!operation) return;
          gate.admit(
            { schema, document, operationName: request.operationName, variables: request.variables, transport: 'http' },
            contextValue,
          );
        },
      };
    },
  };
}
