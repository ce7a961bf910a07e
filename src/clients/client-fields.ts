import { BadInputException, ConflictException } from '../common/errors/domain.exception';
import { FieldError } from '../common/errors/error-code';
import { normalizePassportSeries } from '../common/validation/passport';
import { normalizePhone, phoneDigits } from '../common/validation/phone';
import { normalizeSnils } from '../common/validation/snils';
import { fullName, nameKey, surnameKey } from './client-names';
import { CardRuleBreak, innTypeMismatch, missingNames } from './client-rules';
import { ClientEntity } from './client.entity';
import { ClientFieldsInput } from './dto/client.input';

/*
 * A card's fields as every writer of cards stores them (the API, the identity rule, merges, the import):
 * canonical forms, the rules spanning fields, the search keys and the audited snapshot.
 */

export const CLIENT = { ru: 'Клиент', en: 'Client' };

/** Card fields an audit entry compares (everything a person can change). */
export const AUDITED_FIELDS = [
  'status',
  'type',
  'tester',
  'lastName',
  'firstName',
  'middleName',
  'organizationName',
  'gender',
  'birthDate',
  'phone',
  'extraPhones',
  'email',
  'note',
  'passportSeries',
  'passportNumber',
  'passportIssuedBy',
  'passportIssuedOn',
  'passportComment',
  'registrationAddress',
  'postalIndex',
  'addressComment',
  'inn',
  'snils',
  'loyaltyCardNumber',
] as const;

export type CardFields = Partial<Pick<ClientEntity, (typeof AUDITED_FIELDS)[number]>>;
const EDITABLE = AUDITED_FIELDS.filter((f) => f !== 'status' && f !== 'phone' && f !== 'type');

export function snapshot(client: ClientEntity): Record<string, unknown> {
  // A plain loop: every card an import creates or changes is snapshotted (pairs and fromEntries cost twice as much).
  const fields: Record<string, unknown> = {};
  for (const field of AUDITED_FIELDS) fields[field] = client[field];
  return fields;
}

/** Values as stored: trimmed text, empty text as null, identifiers in their canonical form. */
export function canonical(input: Partial<ClientFieldsInput>): CardFields {
  const out: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    const value = (input as Record<string, unknown>)[field];
    if (value === undefined) continue;
    out[field] = typeof value === 'string' ? value.trim() || null : value;
  }
  if (typeof out.email === 'string') out.email = out.email.toLowerCase();
  if (typeof out.passportSeries === 'string') out.passportSeries = normalizePassportSeries(out.passportSeries);
  if (typeof out.snils === 'string') out.snils = normalizeSnils(out.snils);
  if (Array.isArray(out.extraPhones))
    out.extraPhones = [...new Set((out.extraPhones as string[]).map((p) => normalizePhone(p)!).filter(Boolean))];
  return out as CardFields;
}

/** Rules that span fields: which name a type needs and which INN length fits it. */
export function assertCoherent(card: ClientEntity, path = 'input'): void {
  const errors: FieldError[] = [...missingNames(card), innTypeMismatch(card.type, card.inn)]
    .filter((rule): rule is CardRuleBreak => rule !== null)
    .map((rule) => ({ path: `${path}.${rule.field}`, message: rule.ru, messageEn: rule.en }));
  if (card.phone && card.extraPhones.includes(card.phone)) {
    errors.push({
      path: `${path}.extraPhones`,
      message: 'основной телефон не нужно повторять в дополнительных',
      messageEn: 'the main phone is repeated among extra phones',
    });
  }
  if (errors.length) throw new BadInputException(errors);
}

/** Copies the given values into the card's empty fields only (the identity rule and merges never overwrite). */
export function fillEmptyFields(card: ClientEntity, fields: CardFields): void {
  const target = card as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) {
    const current = target[field];
    const empty = current === null || current === undefined || (Array.isArray(current) && current.length === 0);
    if (empty && value !== null && value !== undefined) target[field] = value;
  }
}

/** Recomputes the card's search keys (name, surname, phone digits) from its fields. */
export function withKeys(card: ClientEntity): ClientEntity {
  card.nameKey = nameKey(card);
  card.surnameKey = surnameKey(card);
  card.phoneDigits = [card.phone, ...card.extraPhones]
    .filter(Boolean)
    .map((p) => phoneDigits(p!))
    .join(' ');
  return card;
}

export function phoneTaken(phone: string, owner: ClientEntity): ConflictException {
  return new ConflictException(
    {
      ru: `Телефон ${phone} уже указан у клиента ${fullName(owner)}`,
      en: `Phone ${phone} already belongs to client ${fullName(owner)}`,
    },
    [
      {
        path: 'input.phone',
        message: `телефон принадлежит клиенту ${fullName(owner)}`,
        messageEn: 'phone belongs to another client',
      },
    ],
  );
}
