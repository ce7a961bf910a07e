import { registerEnumType } from '@nestjs/graphql';

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  PUSH = 'PUSH',
  SMS = 'SMS',
}

export enum NotificationStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Every delivery attempt failed; kept for an operator to look at. */
  DEAD = 'DEAD',
}

registerEnumType(NotificationChannel, { name: 'NotificationChannel' });
registerEnumType(NotificationStatus, { name: 'NotificationStatus' });
