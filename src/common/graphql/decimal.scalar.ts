import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { decimalText } from '../text/decimal-text';

function parse(value: unknown): string {
  const text =
    typeof value === 'number' ? decimalText(String(value)) : typeof value === 'string' ? decimalText(value) : null;
  if (text === null) {
    throw new GraphQLError(
      `Decimal: ожидается число с точностью до двух знаков, например "54.30" / expected a number with up to 2 decimals, got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

/** Exact decimal (areas in m²), sent as a string so no float rounding ever touches it. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description:
    'Exact decimal number with up to 2 fractional digits, serialized as a string ("54.30"). Accepts strings (comma or dot) and numbers.',
  parseValue: parse,
  serialize: (value) => String(value),
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) return parse(ast.value);
    throw new GraphQLError('Decimal: ожидается строка или число / expected a string or a number');
  },
});
