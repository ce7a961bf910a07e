import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ChannelWatch, PgNotifyBus } from '../common/notify/pg-notify-bus';
import { CrmSpace } from '../external-ids/external-id-enums';
import { EmployeeRole } from '../organizations/role';

/** Sent by database triggers (migration StaffAccessChangeNotifications) when a session or an employee's access changes. */
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
  /** When the session itself expires. */
  expiresAt: number;
}

interface Entry extends StaffAccess {
  checkedAt: number;
}

/**
 * Live staff sessions this process has checked, so a request does not pay a database round trip
 * for its session (a third to half of a trivial request's time). Correctness rests on the
 * notifications: every change to a session or to an employee's role, space or blocking is announced
 * by a trigger, and each process drops that employee's entries. While the announcement channel is
 * not listened on (starting up, connection lost), nothing is served from here: a missed
 * announcement could otherwise keep a revoked session open.
 */
@Injectable()
export class StaffAccessCache implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private watch: ChannelWatch | null = null;
  /** Bumped by every invalidation: a lookup that started before one must not store what it read. */
  private generation = 0;
  private closed = false;

  constructor(private readonly bus: PgNotifyBus) {}

  /** Listens from the first lookup on, so processes that authenticate nobody (workers) hold no connection for it. */
  private watching(): ChannelWatch {
    return (this.watch ??= this.bus.watch(STAFF_ACCESS_CHANNEL, {
      message: (payload) => {
        const employeeId = (payload as { employeeId?: unknown } | null)?.employeeId;
        if (typeof employeeId === 'string') this.forgetEmployee(employeeId);
        else this.clear();
      },
      reset: () => this.clear(),
    }));
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.watch?.close();
    this.watch = null;
    this.clear();
  }

  /** The session's access if it was checked recently and nothing about it has changed since. */
  get(sessionId: string, now = Date.now()): StaffAccess | undefined {
    if (this.closed || !this.watching().live) return undefined;
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    if (now - entry.checkedAt > STAFF_ACCESS_TTL_MS || now >= entry.expiresAt) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  /** A token to pass to `put`: taken before reading the database, it tells whether an invalidation came in between. */
  stamp(): number {
    return this.generation;
  }

  put(sessionId: string, access: StaffAccess, stamp: number, now = Date.now()): void {
    if (stamp !== this.generation || !this.watch?.live) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(sessionId, { ...access, checkedAt: now });
  }

  /** Called by this process's own writes (the announcement reaches it a moment later). */
  forgetEmployee(employeeId: string): void {
    this.generation++;
    for (const [sessionId, entry] of this.entries) if (entry.employeeId === employeeId) this.entries.delete(sessionId);
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
