import { registerEnumType } from '@nestjs/graphql';
import { AutoAttachPolicy } from '../organizations/auto-attach-setting';

/** Why a request waits in «Ожидают регистрации» rather than being attached at once. */
export enum RegistrationHoldReason {
  PREMISES_NOT_FOUND = 'PREMISES_NOT_FOUND',
  POLICY_NEVER = 'POLICY_NEVER',
  ACCOUNT_NOT_CONFIRMED = 'ACCOUNT_NOT_CONFIRMED',
  PREMISES_HAS_OWNER = 'PREMISES_HAS_OWNER',
  /** The phone the resident signed in with is the app login of a card of another name (a shared phone). */
  PHONE_OF_ANOTHER_CLIENT = 'PHONE_OF_ANOTHER_CLIENT',
}

registerEnumType(RegistrationHoldReason, {
  name: 'RegistrationHoldReason',
  description: 'Why a registration request waits for staff',
});

/** What staff read next to a waiting request. */
export const HOLD_REASON_TEXT: Record<RegistrationHoldReason, { ru: string; en: string }> = {
  [RegistrationHoldReason.PREMISES_NOT_FOUND]: {
    ru: 'Помещение по адресу из заявки не определилось',
    en: 'The request’s address did not identify the premises',
  },
  [RegistrationHoldReason.POLICY_NEVER]: {
    ru: 'Автоматическое прикрепление отключено в настройках организации',
    en: 'Automatic attachment is off in the organization’s settings',
  },
  [RegistrationHoldReason.ACCOUNT_NOT_CONFIRMED]: {
    ru: 'Номер лицевого счёта не указан или не совпадает с открытым счётом помещения',
    en: 'The account number is missing or is not an open account of the premises',
  },
  [RegistrationHoldReason.PREMISES_HAS_OWNER]: {
    ru: 'У помещения уже есть собственник: проверьте, кто подаёт заявку',
    en: 'The premises already has an owner: check who is asking',
  },
  [RegistrationHoldReason.PHONE_OF_ANOTHER_CLIENT]: {
    ru: 'С этого телефона в приложение входит другой клиент: уточните, чей это номер',
    en: 'Another client signs in to the app with this phone: check whose number it is',
  },
};

export interface AutoAttachFacts {
  policy: AutoAttachPolicy;
  premisesFound: boolean;
  /** The typed account number is an open account of the found premises. */
  accountConfirmed: boolean;
  /** Someone is attached to the found premises as OWNER. */
  premisesHasOwner: boolean;
  /** The resident's phone signs in a card of another name: a card made now could not sign in with it. */
  phoneOfAnotherClient: boolean;
}

/**
 * The one rule for attaching a registration at once: null → attach as owner; else why it waits. An
 * owner already there is never joined by a new one from the app, whatever the policy.
 */
export function autoAttachHold(facts: AutoAttachFacts): RegistrationHoldReason | null {
  if (!facts.premisesFound) return RegistrationHoldReason.PREMISES_NOT_FOUND;
  if (facts.policy === AutoAttachPolicy.NEVER) return RegistrationHoldReason.POLICY_NEVER;
  if (facts.policy === AutoAttachPolicy.ACCOUNT_CONFIRMED && !facts.accountConfirmed)
    return RegistrationHoldReason.ACCOUNT_NOT_CONFIRMED;
  if (facts.premisesHasOwner) return RegistrationHoldReason.PREMISES_HAS_OWNER;
  if (facts.phoneOfAnotherClient) return RegistrationHoldReason.PHONE_OF_ANOTHER_CLIENT;
  return null;
}
