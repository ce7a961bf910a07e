import {
  ASTNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** The fragments of a document by name. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** Depth of the deepest field path, following fragments (introspection's own fields are not counted). */
export function operationDepth(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): number {
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

/** Keys longer than this (bulk mutations' variables) are not worth keeping. */
const MAX_CACHED_KEY = 2_000;
const MAX_CACHED_PER_DOCUMENT = 200;

/**
 * Aliased fields with a selection of their own (objects, lists, connections) that the operation would
 * run, fragments expanded where they are spread (a fragment of 10 such aliases spread 5 times counts
 * 50): the work a client can multiply without depth or page sizes. An alias of a scalar leaf
 * (`a: number`) only renames a value already read, so it does not count.
 */
export function operationAliases(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): number {
  const count = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD)
        total += (selection.alias && selection.selectionSet ? 1 : 0) + count(selection.selectionSet, seen);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value))
        total += count(fragments[selection.name.value]?.selectionSet, new Set(seen).add(selection.name.value));
    }
    return total;
  };
  return count(operation.selectionSet, new Set());
}

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
export class CostCache {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, number>>();
  private readonly variablesByDocument = new WeakMap<DocumentNode, string[]>();

  /** The cache key of these variables: the operation and the values of the variables its cost depends on. */
  key(
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
  ): string {
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

/** Complexity counts a field as 1, multiplied by the `first` argument of lists (each connection field says so). */
export function operationComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables,
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}
