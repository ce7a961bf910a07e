import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { NotifiedCache } from '../common/notify/notified-cache';
import { PgNotifyBus } from '../common/notify/pg-notify-bus';
import { CrmSpace } from '../kernel/crm-space';
import { EmployeeRole } from '../kernel/role';

/**
 * Sent by database triggers (migrations StaffAccessChangeNotifications, TicketScopeChangeNotifications,
 * PersonalDataRoles) when a session, an employee's access or their specializations change, or an
 * organization changes which roles read personal data (no employee named: every session is dropped).
 */
export const STAFF_ACCESS_CHANNEL = 'staff_access_changed';

/** How long a checked session is trusted without asking the database again, even if no change was announced. */
export const STAFF_ACCESS_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/** What a request needs to know about a live staff session. */
export interface StaffAccess {
  organizationId: string;
  employeeId: string;
  role: EmployeeRole;
  crmSpace: CrmSpace;
  specializationIds: readonly string[];
  viewsPersonalData: boolean;
  /** When the session itself expires. */
  expiresAt: number;
}

/**
 * Live staff sessions this process has checked, so a request does not pay a database round trip
 * for its session (a third to half of a trivial request's time). Correctness rests on the
 * notifications (NotifiedCache): every change to a session or to an employee's role, space, blocking
 * or specializations is announced by a trigger, and each process drops that employee's sessions.
 */
@Injectable()
export class StaffAccessCache implements OnModuleDestroy {
  private readonly sessions: NotifiedCache<StaffAccess>;

  constructor(bus: PgNotifyBus) {
    this.sessions = new NotifiedCache<StaffAccess>(bus, {
      channel: STAFF_ACCESS_CHANNEL,
      onChange: (payload, cache) => {
        const { employeeId, organizationId } = (payload ?? {}) as { employeeId?: unknown; organizationId?: unknown };
        if (typeof employeeId === 'string') cache.forgetWhere((access) => access.employeeId === employeeId);
        else if (typeof organizationId === 'string')
          cache.forgetWhere((access) => access.organizationId === organizationId);
        else cache.clear();
      },
      ttlMs: STAFF_ACCESS_TTL_MS,
      maxEntries: MAX_ENTRIES,
    });
  }

  onModuleDestroy(): void {
    this.sessions.close();
  }

  /** The session's access if it was checked recently and nothing about it has changed since. */
  get(sessionId: string, now = Date.now()): StaffAccess | undefined {
    const access = this.sessions.get(sessionId, now);
    if (access && now >= access.expiresAt) {
      this.sessions.forget(sessionId);
      return undefined;
    }
    return access;
  }

  /** A token to pass to `put`: taken before reading the database, it tells whether an invalidation came in between. */
  stamp(): number {
    return this.sessions.stamp();
  }

  put(sessionId: string, access: StaffAccess, stamp: number, now = Date.now()): void {
    this.sessions.put(sessionId, access, stamp, now);
  }

  /** Called by this process's own writes (the announcement reaches it a moment later). */
  forgetEmployee(employeeId: string): void {
    this.sessions.forgetWhere((access) => access.employeeId === employeeId);
  }
}
