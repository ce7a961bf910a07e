import { BadInputException } from '../common/errors/domain.exception';
import { STATUS_NAMES, TICKET_TRANSITIONS, TicketStatus } from './ticket-enums';

/** Throws BAD_USER_INPUT naming the statuses the ticket may move to instead. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  const allowed = TICKET_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  const ru = allowed.length
    ? allowed.map((s) => `${s} (${STATUS_NAMES[s]})`).join(', ')
    : 'никуда: статус окончательный';
  const en = allowed.length ? allowed.join(', ') : 'none: the status is final';
  throw BadInputException.field(
    'input.status',
    `из статуса ${from} (${STATUS_NAMES[from]}) нельзя перейти в ${to}; можно: ${ru}`,
    `cannot move a ticket from ${from} to ${to}; allowed: ${en}`,
  );
}
