import { registerEnumType } from '@nestjs/graphql';

export enum TicketStatus {
  NEW = 'NEW',
  IN_PROGRESS = 'IN_PROGRESS',
  DEFERRED = 'DEFERRED',
  COMPLETED = 'COMPLETED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}

export enum TicketSource {
  CALL = 'CALL',
  APP = 'APP',
  EMAIL = 'EMAIL',
  VISIT = 'VISIT',
  IMPORT = 'IMPORT',
}

/** The status machine of PRODUCT.md; nothing else is a legal move. */
export const TICKET_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  [TicketStatus.NEW]: [TicketStatus.IN_PROGRESS, TicketStatus.CANCELLED],
  [TicketStatus.IN_PROGRESS]: [TicketStatus.DEFERRED, TicketStatus.COMPLETED, TicketStatus.NEW, TicketStatus.CANCELLED],
  [TicketStatus.COMPLETED]: [TicketStatus.NEW, TicketStatus.CLOSED],
  [TicketStatus.DEFERRED]: [TicketStatus.NEW],
  [TicketStatus.CLOSED]: [],
  [TicketStatus.CANCELLED]: [],
};

/** Statuses a dispatcher still counts as "someone is on it": a new call about the same thing is a duplicate. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  TicketStatus.NEW,
  TicketStatus.IN_PROGRESS,
  TicketStatus.DEFERRED,
];

/** Statuses that stamp `closedAt`. */
export const FINAL_STATUSES: readonly TicketStatus[] = [TicketStatus.CLOSED, TicketStatus.CANCELLED];

export const STATUS_NAMES: Record<TicketStatus, string> = {
  [TicketStatus.NEW]: 'Новая',
  [TicketStatus.IN_PROGRESS]: 'В работе',
  [TicketStatus.DEFERRED]: 'Отложена',
  [TicketStatus.COMPLETED]: 'Выполнена',
  [TicketStatus.CLOSED]: 'Закрыта',
  [TicketStatus.CANCELLED]: 'Отменена',
};

registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description:
    'NEW → IN_PROGRESS | CANCELLED; IN_PROGRESS → DEFERRED | COMPLETED | NEW | CANCELLED; COMPLETED → NEW | CLOSED; DEFERRED → NEW',
});
registerEnumType(TicketSource, {
  name: 'TicketSource',
  description: 'How the ticket came in: call, resident app, e-mail, visit, import',
});
