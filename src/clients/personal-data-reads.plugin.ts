import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { DataSource } from 'typeorm';
import { crmActor, StaffPrincipal } from '../access/principal';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';

type ApolloPlugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** The audit action of one reading of a card's personal data: in the client's auditLog with who and when. */
export const PERSONAL_DATA_VIEWED = 'personal_data_viewed';

/**
 * 152-ФЗ asks an operator to control and record access to personal data: every request that showed
 * some card's personal fields unmasked (personalDataField noted them) ends with one audit statement,
 * an entry per card.
 */
export function personalDataReadsPlugin(audit: AuditService, dataSource: DataSource): ApolloPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({
          contextValue,
        }: {
          contextValue: { principal?: StaffPrincipal; personalDataReads?: Set<string> };
        }) {
          const reads = contextValue.personalDataReads;
          if (!reads?.size || !contextValue.principal) return;
          await audit.record(
            dataSource.manager,
            crmActor(contextValue.principal),
            [...reads].map((entityId) => ({
              entityType: AuditEntityType.CLIENT,
              entityId,
              action: PERSONAL_DATA_VIEWED,
            })),
          );
        },
      };
    },
  };
}
