import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoadersModule } from '../graphql/loaders.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { PurgeExpiredSessionsJob } from './purge-sessions.job';
import { StaffAccessModule } from '../access/staff-access.module';
import { StaffAuthGuard } from './staff-auth.guard';

@Module({
  imports: [OrganizationsModule, LoadersModule, StaffAccessModule],
  providers: [
    AuthService,
    LoginThrottle,
    AuthResolver,
    PurgeExpiredSessionsJob,
    { provide: APP_GUARD, useClass: StaffAuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
