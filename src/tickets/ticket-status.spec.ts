import { DomainException } from '../common/errors/domain.exception';
import { TicketStatus } from './ticket-enums';
import { assertTransition } from './ticket-status';

const S = TicketStatus;
const LEGAL: [TicketStatus, TicketStatus][] = [
  [S.NEW, S.IN_PROGRESS],
  [S.NEW, S.CANCELLED],
  [S.IN_PROGRESS, S.DEFERRED],
  [S.IN_PROGRESS, S.COMPLETED],
  [S.IN_PROGRESS, S.NEW],
  [S.IN_PROGRESS, S.CANCELLED],
  [S.COMPLETED, S.NEW],
  [S.COMPLETED, S.CLOSED],
  [S.DEFERRED, S.NEW],
];

describe('ticket status transitions', () => {
  it('allows exactly the moves of the product spec', () => {
    for (const from of Object.values(S)) {
      for (const to of Object.values(S)) {
        const legal = LEGAL.some(([f, t]) => f === from && t === to);
        if (legal) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(() => assertTransition(from, to)).toThrow(DomainException);
      }
    }
  });

  it('names the allowed statuses in the error', () => {
    try {
      assertTransition(S.NEW, S.CLOSED);
      throw new Error('expected a refusal');
    } catch (error) {
      const e = error as DomainException;
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.fields?.[0].messageEn).toContain('IN_PROGRESS, CANCELLED');
      expect(e.fields?.[0].message).toContain('В работе');
    }
  });

  it('treats CLOSED and CANCELLED as final', () => {
    expect(() => assertTransition(S.CLOSED, S.NEW)).toThrow(/none: the status is final/);
  });
});
