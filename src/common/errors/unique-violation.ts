/** True for PostgreSQL's unique_violation (23505), optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' && (!constraint || driverError.constraint === constraint);
}

/**
 * True when a row is still referenced: foreign_key_violation (23503), or restrict_violation (23001),
 * which PostgreSQL 18 raises for ON DELETE RESTRICT where earlier versions raised 23503.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  return driverError?.code === '23503' || driverError?.code === '23001';
}
