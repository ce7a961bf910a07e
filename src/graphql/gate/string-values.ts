import { DocumentNode, Kind, ValueNode, visit } from 'graphql';
import { FieldError } from '../../common/errors/error-code';
import { unstorableText } from '../../common/validation/text';

/**
 * Every string a client sent, in variables and in the document's own argument literals, with the path
 * that names it (`input.fullName`, `filter.search`, `input.items[3].phone`: graphql's own notation), checked once before anything
 * runs: no resolver, scalar or SQL statement ever sees a NUL, a broken character or a megabyte of text.
 */
export function variableStringErrors(variables: Record<string, unknown>, maxLength: number): FieldError[] {
  const { errors, check } = collector(maxLength);
  for (const [name, value] of Object.entries(variables)) walkJson(value, name, check);
  return errors;
}

/** The same for the strings written into the document itself: they never change, so the gate keeps the answer per document. */
export function literalStringErrors(document: DocumentNode, maxLength: number): FieldError[] {
  const { errors, check } = collector(maxLength);
  visit(document, {
    Argument(argument) {
      walkLiteral(argument.value, argument.name.value, check);
      return false;
    },
  });
  return errors;
}

function collector(maxLength: number) {
  const errors: FieldError[] = [];
  const check = (value: string, path: string) => {
    const problem = value.length > maxLength ? tooLong(value.length, maxLength) : unstorableText(value);
    if (problem && errors.length < 20) errors.push({ path, message: problem.ru, messageEn: problem.en });
  };
  return { errors, check };
}

function tooLong(length: number, max: number) {
  return {
    ru: `слишком длинный текст: ${length} символов, допустимо не более ${max}`,
    en: `text too long: ${length} characters, at most ${max} allowed`,
  };
}

function walkJson(value: unknown, path: string, check: (value: string, path: string) => void): void {
  if (typeof value === 'string') check(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => walkJson(item, `${path}[${index}]`, check));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkJson(item, `${path}.${key}`, check);
  }
}

function walkLiteral(node: ValueNode, path: string, check: (value: string, path: string) => void): void {
  if (node.kind === Kind.STRING) check(node.value, path);
  else if (node.kind === Kind.LIST) node.values.forEach((item, index) => walkLiteral(item, `${path}[${index}]`, check));
  else if (node.kind === Kind.OBJECT)
    for (const field of node.fields) walkLiteral(field.value, `${path}.${field.name.value}`, check);
}
