import { registerEnumType } from '@nestjs/graphql';
import { CrmSpace } from './crm-space';

/** Through which door a change came in. */
export enum AuditChannel {
  CRM = 'CRM',
  IMPORT = 'IMPORT',
  INTEGRATION = 'INTEGRATION',
  APP = 'APP',
}

registerEnumType(AuditChannel, { name: 'AuditChannel' });

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
