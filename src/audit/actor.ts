import { CrmSpace } from '../external-ids/external-id-enums';
import { AuditChannel } from './audit-enums';

/** Who is changing data and through which door: every write service takes one. */
export interface Actor {
  organizationId: string;
  employeeId: string | null;
  channel: AuditChannel;
  /** The import job id or the integration system. */
  channelRef?: string | null;
  /** The CRM space whose external identifiers the actor sees and edits. */
  space: CrmSpace;
}
