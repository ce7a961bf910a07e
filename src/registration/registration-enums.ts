import { registerEnumType } from '@nestjs/graphql';

export enum RegistrationStatus {
  PENDING = 'PENDING',
  /** The address or account identified the premises: attached at once as owner. */
  AUTO_ATTACHED = 'AUTO_ATTACHED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

export enum RegistrationAction {
  SUBMITTED = 'SUBMITTED',
  AUTO_ATTACHED = 'AUTO_ATTACHED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  COMMENTED = 'COMMENTED',
}

registerEnumType(RegistrationStatus, {
  name: 'RegistrationStatus',
  description: 'PENDING → APPROVED | REJECTED, or AUTO_ATTACHED at once',
});
registerEnumType(RegistrationAction, { name: 'RegistrationAction' });

/** What the app shows for each status (Russian) and its English twin. */
export const STATUS_TEXT: Record<RegistrationStatus, { ru: string; en: string }> = {
  [RegistrationStatus.PENDING]: {
    ru: 'Заявка на регистрацию ожидает рассмотрения',
    en: 'Registration request awaits review',
  },
  [RegistrationStatus.AUTO_ATTACHED]: { ru: 'Помещение найдено: доступ открыт', en: 'Premises found: access granted' },
  [RegistrationStatus.APPROVED]: { ru: 'Заявка на регистрацию одобрена', en: 'Registration request approved' },
  [RegistrationStatus.REJECTED]: { ru: 'Заявка на регистрацию отклонена', en: 'Registration request rejected' },
};
