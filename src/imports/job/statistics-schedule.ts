/** Rows after which the planner's statistics are refreshed during an import (see statisticsDue). */
const STATISTICS_EVERY = 50_000;
const EARLIEST = 4000;

/**
 * How many statistics refreshes are due after `rows` rows written by this attempt: at 2, 4, 8, … batches
 * (4,000 rows at the earliest) while under STATISTICS_EVERY, then every STATISTICS_EVERY rows. The
 * early ones matter most: a table that grows from nothing to a few thousand rows between
 * autovacuum's passes is planned as if empty, and the external-id probe scanned it whole for every
 * key (5–9 s a batch around row 10,000 of an import into an empty organization, 27.6 s of a
 * 100,000-row import's 106.8 s).
 */
export function statisticsDue(rows: number, batchRows: number): number {
  let due = 0;
  // Not before 4,000 rows: with tiny batches the doubling would otherwise ANALYZE a dozen times early on.
  for (
    let threshold = Math.max(2 * batchRows, EARLIEST);
    threshold < STATISTICS_EVERY && threshold <= rows;
    threshold *= 2
  )
    due++;
  return due + Math.floor(rows / STATISTICS_EVERY);
}
