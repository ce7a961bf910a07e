import { Module } from '@nestjs/common';
import { StaffAccessCache } from './staff-access-cache';

/** The per-process cache of checked staff sessions: read by auth, dropped by whoever changes an employee's access. */
@Module({
  providers: [StaffAccessCache],
  exports: [StaffAccessCache],
})
export class StaffAccessModule {}
