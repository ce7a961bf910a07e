import { ClientType, isOrganizationType } from './client-enums';
import { NameParts } from './client-names';

/** A rule spanning a card's fields that the fields break: the field to fix and what to tell the clerk. */
export interface CardRuleBreak {
  field: 'lastName' | 'firstName' | 'organizationName' | 'inn';
  ru: string;
  en: string;
}

/** The names a card of its type cannot lack: an organization's name, or a person's last and first names. */
export function missingNames(parts: NameParts): CardRuleBreak[] {
  if (isOrganizationType(parts.type)) {
    return parts.organizationName
      ? []
      : [{ field: 'organizationName', ru: 'для юрлица укажите наименование', en: 'a legal entity needs its name' }];
  }
  const missing: CardRuleBreak[] = [];
  if (!parts.lastName) missing.push({ field: 'lastName', ru: 'укажите фамилию', en: 'last name is required' });
  if (!parts.firstName) missing.push({ field: 'firstName', ru: 'укажите имя', en: 'first name is required' });
  return missing;
}

/** A legal entity's INN has 10 digits and a person's 12; a foreign branch may hold either. */
export function innTypeMismatch(type: ClientType, inn: string | null | undefined): CardRuleBreak | null {
  if (!inn) return null;
  if (type === ClientType.LEGAL_ENTITY && inn.length !== 10)
    return { field: 'inn', ru: 'ИНН юрлица — 10 цифр', en: 'a legal entity’s INN has 10 digits' };
  if (!isOrganizationType(type) && inn.length !== 12)
    return { field: 'inn', ru: 'ИНН физлица или ИП — 12 цифр', en: 'a person’s INN has 12 digits' };
  return null;
}
