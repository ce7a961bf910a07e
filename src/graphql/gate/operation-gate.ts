import {
  DocumentNode,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLSchema,
  OperationDefinitionNode,
} from 'graphql';
import { BadInputException, DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { variableCoercionError } from '../../common/errors/format-graphql-error';
import type { GraphqlLimits } from '../../config/config';
import { CostCache, fragmentsOf, operationAliases, operationComplexity, operationDepth } from './operation-cost';
import { literalStringErrors, variableStringErrors } from './string-values';

/** How the operation arrived: graphql-ws carries subscriptions only, HTTP everything else. */
export type Transport = 'http' | 'ws';

export interface OperationRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  /** As the client sent them (not yet coerced). */
  variables?: Record<string, unknown> | null;
  transport: Transport;
}

/** A refusal: the client's fault, HTTP 400 (GraphQL over HTTP), the same code and text on every transport. */
function refusal(domain: DomainException): GraphQLError {
  return new GraphQLError(domain.text.en, {
    originalError: domain,
    extensions: { code: domain.code, http: { status: 400 } },
  });
}

function tooComplex(ru: string, en: string, details: Record<string, number>): GraphQLError {
  return refusal(new DomainException(ErrorCode.QUERY_TOO_COMPLEX, { ru, en }, undefined, details));
}

/**
 * The one gate every GraphQL operation passes before it runs, whatever brought it: the transport
 * rule, well-formed strings, coercible variables, depth, aliases and cost. HTTP (the Apollo plugin)
 * and graphql-ws call `admit` first; the root fields of the schema (guardRootFields) call
 * `ensureAdmitted`, so an operation that reached execution by any other path is gated there.
 */
/** What the gate finds in a document alone, whatever the variables: computed once per parsed document. */
interface DocumentShape {
  literalErrors: ReturnType<typeof literalStringErrors>;
  depth: number;
  aliases: number;
}

export class OperationGate {
  private readonly costs = new CostCache();
  /** Apollo hands every request of one query text the same parsed document (and graphql-ws parses anew). */
  private readonly shapes = new WeakMap<OperationDefinitionNode, DocumentShape>();
  /** Request contexts whose operation passed: one entry per request, gone with it. */
  private readonly admitted = new WeakSet<object>();

  constructor(readonly limits: GraphqlLimits) {}

  /** Throws a GraphQLError (BAD_USER_INPUT or QUERY_TOO_COMPLEX, HTTP 400) when the operation may not run. */
  admit(request: OperationRequest, context?: object): void {
    const operation = getOperationAST(request.document, request.operationName);
    if (!operation) return; // graphql's own validation names the missing or ambiguous operation
    this.checkTransport(operation, request.transport);
    const variables = request.variables ?? {};
    const shape = this.shapeOf(request.document, operation);
    const strings = shape.literalErrors.length
      ? shape.literalErrors
      : variableStringErrors(variables, this.limits.maxStringLength);
    if (strings.length) throw refusal(new BadInputException(strings));
    this.checkVariables(request.schema, operation, variables);
    this.checkShape(request, shape, variables);
    if (context) this.admitted.add(context);
  }

  /** For the root fields: gates an operation whose transport did not call `admit` (coerced variables are valid by then). */
  ensureAdmitted(
    context: unknown,
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Record<string, unknown>,
    variables: Record<string, unknown>,
  ): void {
    const key = typeof context === 'object' && context !== null ? context : null;
    if (key && this.admitted.has(key)) return;
    const document = { kind: 'Document', definitions: [operation, ...Object.values(fragments)] } as DocumentNode;
    this.admit(
      { schema, document, operationName: operation.name?.value, variables, transport: 'http' },
      key ?? undefined,
    );
  }

  private checkTransport(operation: OperationDefinitionNode, transport: Transport): void {
    if (transport === 'ws' && operation.operation !== 'subscription') {
      throw refusal(
        new DomainException(ErrorCode.BAD_USER_INPUT, {
          ru: 'По WebSocket принимаются только подписки (subscription). Запросы и мутации отправляйте POST-запросом на /graphql.',
          en: 'Only subscriptions are accepted over WebSocket; send queries and mutations as HTTP POST to /graphql',
        }),
      );
    }
  }

  /** Variables that cannot be coerced are refused here, as BAD_USER_INPUT naming them, before the cost is priced with them. */
  private checkVariables(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): void {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 20 });
    if (!coerced.errors) return;
    const fields = coerced.errors.map((error) => {
      const variable = variableCoercionError(error.message);
      return variable
        ? { path: variable.path, message: variable.reason, messageEn: variable.reason }
        : { path: '', message: error.message, messageEn: error.message };
    });
    throw refusal(new BadInputException(fields));
  }

  private shapeOf(document: DocumentNode, operation: OperationDefinitionNode): DocumentShape {
    let shape = this.shapes.get(operation);
    if (!shape) {
      const fragments = fragmentsOf(document);
      shape = {
        literalErrors: literalStringErrors(document, this.limits.maxStringLength),
        depth: operationDepth(operation, fragments),
        aliases: operationAliases(operation, fragments),
      };
      this.shapes.set(operation, shape);
    }
    return shape;
  }

  private checkShape(
    request: OperationRequest,
    { depth, aliases }: DocumentShape,
    variables: Record<string, unknown>,
  ): void {
    const { maxDepth, maxAliases, maxComplexity } = this.limits;
    if (depth > maxDepth) {
      throw tooComplex(
        `Запрос слишком глубокий: вложенность ${depth}, допустимо не более ${maxDepth}. Упростите запрос.`,
        `Query is too deep: depth ${depth} exceeds the limit of ${maxDepth}`,
        { depth, maxDepth },
      );
    }
    if (aliases > maxAliases) {
      throw tooComplex(
        `В запросе слишком много псевдонимов полей: ${aliases}, допустимо не более ${maxAliases}. Разбейте запрос на несколько.`,
        `Query has too many aliased fields: ${aliases} exceeds the limit of ${maxAliases}`,
        { aliases, maxAliases },
      );
    }
    const key = this.costs.key(request.schema, request.document, request.operationName, variables);
    const complexity = this.costs.get(request.document, key, () =>
      operationComplexity(request.schema, request.document, request.operationName, variables),
    );
    if (complexity > maxComplexity) {
      throw tooComplex(
        `Запрос слишком сложный: стоимость ${complexity}, допустимо не более ${maxComplexity}. Уменьшите размер страниц (first) или число полей.`,
        `Query is too complex: cost ${complexity} exceeds the limit of ${maxComplexity}`,
        { complexity, maxComplexity },
      );
    }
  }
}
