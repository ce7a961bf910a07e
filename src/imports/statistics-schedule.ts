/** Rows after which the planner's statistics are refreshed during an import (see statisticsDue). */
const STATISTICS_EVERY = 50_000;

/**
 * How many statistics refreshes are due after `rows` rows of this attempt: at 2, 4, 8, … batches
 * while that is under STATISTICS_EVERY, then every STATISTICS_EVERY rows. The early ones matter
 * most: a table that grows from nothing to a few thousand rows between autovacuum's passes is
 * planned as if empty, and the external-id probe scanned it whole for every key (5–9 s a batch
 * around row 10,000 of an import into an empty organization, 27 s of a 100,000-row import's 107 s).
 */
export function statisticsDue(rows: number, batchRows: number): number {
  let due = 0;
  for (let threshold = 2 * batchRows; threshold < STATISTICS_EVERY && threshold <= rows; threshold *= 2) due++;
  return due + Math.floor(rows / STATISTICS_EVERY);
}
