import { registerEnumType } from '@nestjs/graphql';

export enum ImportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

export enum ImportMode {
  /** Validates and counts what a real run would do; writes nothing but the job and its errors. */
  DRY_RUN = 'DRY_RUN',
  /** Only non-empty cells overwrite. */
  MERGE = 'MERGE',
  /** Empty cells clear their fields. */
  REPLACE = 'REPLACE',
}

export const FINISHED_STATUSES: readonly ImportStatus[] = [
  ImportStatus.COMPLETED,
  ImportStatus.FAILED,
  ImportStatus.CANCELLED,
];

registerEnumType(ImportStatus, { name: 'ImportStatus' });
registerEnumType(ImportMode, {
  name: 'ImportMode',
  description:
    'DRY_RUN counts without writing; MERGE (default) overwrites only from non-empty cells; REPLACE clears fields whose cells are empty',
});
