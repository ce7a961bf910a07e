import { defaultFieldResolver, GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { OperationGate } from './operation-gate';

/**
 * Makes the gate part of the schema: every root field (query, mutation, subscription) first asks the
 * gate whether its request was admitted, and gates it there if not. HTTP and graphql-ws admit before
 * executing, so for them this is one WeakSet lookup per root field; a transport added later without
 * calling the gate is still limited by construction.
 */
export function guardRootFields(schema: GraphQLSchema, gate: OperationGate): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
    (type): type is GraphQLObjectType => !!type,
  );
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      const guard = (resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> =>
        function guardedRootField(source, args, context, info) {
          gate.ensureAdmitted(context, info.schema, info.operation, info.fragments, info.variableValues);
          return resolve(source, args, context, info);
        };
      if (root === schema.getSubscriptionType()) {
        if (field.subscribe) field.subscribe = guard(field.subscribe);
      } else {
        field.resolve = guard(field.resolve ?? defaultFieldResolver);
      }
    }
  }
  return schema;
}
