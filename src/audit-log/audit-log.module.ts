import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { AuditLogResolver } from './audit-log.resolver';

/** Reading the audit log: the writer (AuditService) is global; reading applies each record's own visibility rule. */
@Module({ imports: [TicketsModule], providers: [AuditLogResolver] })
export class AuditLogModule {}
