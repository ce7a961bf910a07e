import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;

/** "54.3" from "54,3" or " 54.3 ": a number with up to 2 decimals, comma or dot; null for anything else. */
export function decimalText(value: string): string | null {
  const text = value.trim().replace(',', '.');
  return DECIMAL.test(text) ? text : null;
}

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
