import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ASTNode, DocumentNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DomainException } from '../errors/domain.exception';
import { ErrorCode } from '../errors/error-code';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

/** Depth of the deepest field path, following fragments (introspection's own fields are not counted). */
export function operationDepth(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): number {
  const visit = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): number => {
    if (!set) return depth;
    let deepest = depth;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, visit(selection.selectionSet, depth + 1, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, visit(selection.selectionSet, depth, seen));
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments[selection.name.value];
        deepest = Math.max(deepest, visit(fragment?.selectionSet, depth, new Set(seen).add(selection.name.value)));
      }
    }
    return deepest;
  };
  return visit(operation.selectionSet, 0, new Set());
}

function tooComplex(ru: string, en: string, details: Record<string, number>): GraphQLError {
  const domain = new DomainException(ErrorCode.QUERY_TOO_COMPLEX, { ru, en }, undefined, details);
  return new GraphQLError(en, { originalError: domain, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } });
}

/**
 * Rejects over-deep or over-expensive operations before any resolver runs. Complexity counts a
 * field as 1, multiplied by the `first` argument of lists (each connection field says so).
 */
type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** Keys longer than this (bulk mutations' variables) are not worth keeping. */
const MAX_CACHED_KEY = 2_000;
const MAX_CACHED_PER_DOCUMENT = 200;

/**
 * The variables an operation's cost can depend on: those given to arguments of fields that price
 * themselves by their arguments (a connection's `first`), and those of directives (@include, @skip).
 * Any other variable (the id of a card, a search text) leaves the cost as it is.
 */
export function costVariables(schema: GraphQLSchema, document: DocumentNode): string[] {
  const names = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const priced: boolean[] = [];
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          priced.push(typeInfo.getFieldDef()?.extensions?.complexity !== undefined);
        },
        leave() {
          priced.pop();
        },
      },
      Argument(argument) {
        if (priced[priced.length - 1]) collect(argument.value);
      },
      Directive(directive) {
        collect(directive);
      },
    }),
  );
  return [...names].sort();
}

/**
 * The cost of an operation with given variables never changes, and Apollo hands every request of the
 * same query text the same parsed document: front ends send a few queries again and again, so their
 * cost is computed once per distinct values of the variables it depends on (costVariables) instead
 * of walking the schema on every request.
 */
class CostCache {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, number>>();
  private readonly variablesByDocument = new WeakMap<DocumentNode, string[]>();

  /** The cache key of these variables: the operation and the values of the variables its cost depends on. */
  key(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): string {
    let names = this.variablesByDocument.get(document);
    if (!names) this.variablesByDocument.set(document, (names = costVariables(schema, document)));
    // An absent variable takes its default, which null would not: the two must not share a key.
    return `${operationName ?? ''}\u0000${JSON.stringify(names.map((name) => (name in variables ? [variables[name]] : [])))}`;
  }

  get(document: DocumentNode, key: string, compute: () => number): number {
    if (key.length > MAX_CACHED_KEY) return compute();
    let costs = this.byDocument.get(document);
    if (!costs) this.byDocument.set(document, (costs = new Map()));
    let cost = costs.get(key);
    if (cost === undefined) {
      cost = compute();
      if (costs.size >= MAX_CACHED_PER_DOCUMENT) costs.clear();
      costs.set(key, cost);
    }
    return cost;
  }
}

export function queryLimitsPlugin(limits: QueryLimits): ApolloPlugin {
  const costs = new CostCache();
  return {
    async requestDidStart({ schema }) {
      return {
        async didResolveOperation({ document, operation, request }: { document: import('graphql').DocumentNode; operation?: OperationDefinitionNode | null; request: { operationName?: string | null; variables?: Record<string, unknown> | null } }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const depth = operationDepth(operation, fragments);
          if (depth > limits.maxDepth) {
            throw tooComplex(
              `Запрос слишком глубокий: вложенность ${depth}, допустимо не более ${limits.maxDepth}. Упростите запрос.`,
              `Query is too deep: depth ${depth} exceeds the limit of ${limits.maxDepth}`,
              { depth, maxDepth: limits.maxDepth },
            );
          }
          const key = costs.key(schema, document, request.operationName, request.variables ?? {});
          const complexity = costs.get(document, key, () =>
            getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            }),
          );
          if (complexity > limits.maxComplexity) {
            throw tooComplex(
              `Запрос слишком сложный: стоимость ${complexity}, допустимо не более ${limits.maxComplexity}. Уменьшите размер страниц (first) или число полей.`,
              `Query is too complex: cost ${complexity} exceeds the limit of ${limits.maxComplexity}`,
              { complexity, maxComplexity: limits.maxComplexity },
            );
          }
        },
      };
    },
  };
}
