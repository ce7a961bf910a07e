import { ClientType, isOrganizationType } from './client-enums';
import { foldYo } from '../common/text/yo';

export interface NameParts {
  type: ClientType;
  lastName?: string | null;
  firstName?: string | null;
  middleName?: string | null;
  organizationName?: string | null;
}

function fold(value: string): string {
  return foldYo(value.toLowerCase())
    .replace(/[«»"'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The name staff read: "Иванов Иван Иванович" or the organization's name. */
export function fullName(parts: NameParts): string {
  if (isOrganizationType(parts.type)) return (parts.organizationName ?? '').trim();
  return [parts.lastName, parts.firstName, parts.middleName]
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(' ');
}

/** Identity key: case, ё, quotes and spacing do not make two people different. */
export function nameKey(parts: NameParts): string {
  return fold(fullName(parts));
}

/** What surname-prefix search and the list order use: the surname, or the organization's name. */
export function surnameKey(parts: NameParts): string {
  return fold(
    isOrganizationType(parts.type)
      ? (parts.organizationName ?? '')
      : `${parts.lastName ?? ''} ${parts.firstName ?? ''} ${parts.middleName ?? ''}`,
  );
}

/** A typed surname prefix folded the same way as `surnameKey`. */
export function surnamePrefixKey(prefix: string): string {
  return fold(prefix);
}

/** Tags differ only by letters: "VIP", " vip " and "Vip" are one tag. */
export function tagKey(name: string): string {
  return fold(name);
}

export function tidyTagName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}
