/**
 * TypeORM silently drops `undefined` from WHERE, turning a scoped query into an unscoped one.
 * Every tenant-scoped repository call goes through this first.
 */
export function requireOrganization(organizationId: string | undefined | null): string {
  if (typeof organizationId !== 'string' || organizationId.length === 0) {
    throw new Error('Tenant-scoped call without an organization id');
  }
  return organizationId;
}
