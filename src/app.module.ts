import { IntegrationModule } from './integration/integration.module';
import { AuditModule } from './audit/audit.module';
import { AuditLogModule } from './audit-log/audit-log.module';
import { ExternalIdsModule } from './external-ids/external-ids.module';
import { ClientsModule } from './clients/clients.module';
import { OccupancyModule } from './occupancy/occupancy.module';
import { AccountsModule } from './accounts/accounts.module';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TransactionRetryInterceptor } from './common/errors/transaction-retry.interceptor';
import { DomainExceptionFilter } from './common/errors/domain-exception.filter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { BuildingsModule } from './buildings/buildings.module';
import { APP_CONFIG, AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source-options';
import { graphqlModule } from './graphql/graphql.config';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PremisesModule } from './premises/premises.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ImportsModule } from './imports/imports.module';
import { ImportJobsModule } from './imports/import-jobs.module';
import { NotifyModule } from './common/notify/notify.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ResidentsModule } from './residents/residents.module';
import { RegistrationModule } from './registration/registration.module';
import { TicketsModule } from './tickets/tickets.module';
import { ContactCardModule } from './contact-card/contact-card.module';
import { PreparedReadsPool } from './database/prepared';
import { MetricsModule } from './metrics/metrics.module';
import { GraphiqlModule } from './graphql-ide/graphiql.module';
import { QueueDashboardModule } from './jobs/queue-dashboard.module';
import { EventsModule } from './wiring/events.module';

@Module({})
export class AppModule {
  /** `api` and `all` serve HTTP (GraphQL, health); `worker` only runs job handlers. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const serves = config.role !== 'worker';
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        JobsModule.forRoot(config),
        EventsModule,
        OrganizationsModule,
        AuthModule,
        BuildingsModule,
        PremisesModule,
        AuditModule,
        AuditLogModule,
        ExternalIdsModule,
        ClientsModule,
        OccupancyModule,
        AccountsModule,
        IntegrationModule,
        RateLimitModule,
        NotificationsModule,
        ResidentsModule,
        RegistrationModule,
        TicketsModule,
        ContactCardModule,
        // Every role: workers run imports and publish their progress, api processes enqueue them and deliver progress to subscribers.
        NotifyModule,
        ImportJobsModule,
        MetricsModule.forRole(config),
        ...(serves ? [graphqlModule(config), HealthModule, ImportsModule, QueueDashboardModule] : []),
        ...(serves && config.observability.graphqlIde ? [GraphiqlModule] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: TransactionRetryInterceptor },
        PreparedReadsPool,
      ],
      exports: [APP_CONFIG, PreparedReadsPool],
    };
  }
}
