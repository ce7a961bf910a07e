import {
  getNamedType,
  GraphQLInputType,
  GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';

/**
 * What a careless or hostile client sends, by the argument's type. `refused`: the gate or the scalar must
 * answer BAD_USER_INPUT naming the argument before anything runs. `survives`: a legal value at the edge
 * of its type; any answer but INTERNAL or a 5xx is fine (it may well succeed).
 */
export interface Malformed {
  label: string;
  value: unknown;
  expect: 'refused' | 'survives';
}

const HUGE = 'x'.repeat(1024 * 1024);
const TEXT: Malformed[] = [
  { label: 'NUL', value: 'a\u0000b', expect: 'refused' },
  { label: 'lone surrogate', value: 'a\ud800b', expect: 'refused' },
  { label: '1 MB string', value: HUGE, expect: 'refused' },
];

export const CATALOGUE: Record<string, Malformed[]> = {
  String: TEXT,
  ID: [...TEXT, { label: 'not a uuid', value: 'not-a-uuid', expect: 'survives' }],
  Int: [
    { label: '2^31', value: 2 ** 31, expect: 'refused' },
    { label: '-2^31-1', value: -(2 ** 31) - 1, expect: 'refused' },
    { label: 'a string', value: 'abc', expect: 'refused' },
    { label: 'Int max', value: 2 ** 31 - 1, expect: 'survives' },
    { label: 'Int min', value: -(2 ** 31), expect: 'survives' },
  ],
  Float: [{ label: 'a string', value: 'abc', expect: 'refused' }],
  Boolean: [{ label: 'a string', value: 'yes', expect: 'refused' }],
  DateTime: [
    { label: 'month 13, hour 99', value: '2024-13-45T99:99:99Z', expect: 'refused' },
    { label: 'year zero', value: '0000-00-00', expect: 'refused' },
    { label: 'February 30', value: '2024-02-30T10:00:00Z', expect: 'refused' },
    { label: 'prose', value: 'yesterday', expect: 'refused' },
  ],
  Decimal: [
    { label: 'prose', value: 'abc', expect: 'refused' },
    { label: 'exponent', value: '1e999', expect: 'refused' },
  ],
  JSON: [],
  enum: [{ label: 'unknown value', value: 'NOT_A_VALUE', expect: 'refused' }],
};

/** Cursors nobody issued: `["abc"]` (a string where a number or an id belongs), junk, and one of another list. */
export function forgedCursors(foreign: string): Malformed[] {
  return [
    { label: 'forged ["abc"]', value: 'WyJhYmMiXQ', expect: 'refused' },
    { label: 'not base64 JSON', value: '!!!', expect: 'refused' },
    { label: 'another list’s cursor', value: foreign, expect: 'refused' },
  ];
}

export function catalogueOf(type: GraphQLNamedType): Malformed[] {
  return isEnumType(type) ? CATALOGUE.enum : (CATALOGUE[type.name] ?? []);
}

/** A value of the type that passes coercion: enough to reach the argument being probed. */
export function validValue(type: GraphQLInputType, name: string): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, name);
  if (isListType(type)) return [validValue(type.ofType, name)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].name;
  if (isInputObjectType(named)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields()))
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        object[field.name] = validValue(field.type, field.name);
    return object;
  }
  switch (named.name) {
    case 'ID':
      return '00000000-0000-4000-8000-000000000000';
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return '2024-01-01T00:00:00Z';
    case 'Decimal':
      return '1';
    case 'JSON':
      return {};
    default:
      if (/email/i.test(name)) return 'fuzz@test.local';
      if (/phone/i.test(name)) return '+79160000000';
      return 'fuzz';
  }
}
