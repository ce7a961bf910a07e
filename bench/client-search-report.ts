/* The client search benchmark's figures (bench/clients.ts): per search and level, then the phone searches broken down. */
import { stats } from './support';
import { ClientSearchApp, SearchFigures, SearchInputs, SearchRuns, slowestInputs } from './client-search-measures';
import { phonePlanKind } from './client-sql-inspection';

/** One line per search and level: n, empty answers, percentiles and the verdict against `targetP99Ms`. */
export function printSearchTable(runs: SearchRuns, clients: number, targetP99Ms: number): void {
  const lines: [string, string, SearchFigures][] = [
    ['surname prefix', 'HTTP, first pass', runs.firstPrefix],
    ['partial phone', 'HTTP, first pass', runs.firstPhone],
    ['no search (baseline)', 'HTTP (2nd process)', runs.httpBaseline],
    ['surname prefix', 'HTTP (2nd process)', runs.httpPrefix],
    ['surname prefix', 'SQL (service)', runs.sqlPrefix],
    ['partial phone', 'HTTP (2nd process)', runs.httpPhone],
    ['partial phone', 'SQL (service)', runs.sqlPhone],
  ];
  console.log(`\n  ${clients.toLocaleString('en')} clients, first: 20, ms (sequential, one client)`);
  const header = ['search', 'level', 'n', 'empty', 'p50', 'p95', 'p99', 'max', `p99 ≤ ${targetP99Ms} ms`];
  const widths = [20, 18, 5, 6, 8, 8, 8, 8, 12];
  const row = (cells: string[]) =>
    '  ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(row(header));
  console.log('  ' + '-'.repeat(widths.reduce((a, b) => a + b + 1, -1)));
  for (const [search, level, result] of lines) {
    const s = stats(result.times);
    const empty = result.rows.filter((n) => n === 0).length;
    const cold = result === runs.firstPrefix || result === runs.firstPhone ? ' (cold)' : '';
    console.log(
      row([
        search,
        level,
        String(s.n),
        String(empty),
        s.p50.toFixed(2),
        s.p95.toFixed(2),
        s.p99.toFixed(2),
        s.max.toFixed(2),
        result === runs.httpBaseline ? '—' : `${s.p99 <= targetP99Ms ? 'PASS' : 'FAIL'}${cold}`,
      ]),
    );
  }
}

function percentilesLine(times: number[]): string {
  const s = stats(times);
  return `n=${String(s.n).padStart(3)}  p50 ${s.p50.toFixed(2).padStart(7)}  p95 ${s.p95.toFixed(2).padStart(7)}  p99 ${s.p99.toFixed(2).padStart(7)}  max ${s.max.toFixed(2).padStart(7)}`;
}

/** Groups `times` by the key of each input, in the order keys first appear. */
function groupTimes<K>(keys: K[], times: number[]): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  keys.forEach((key, i) => groups.set(key, [...(groups.get(key) ?? []), times[i]]));
  return groups;
}

/**
 * The service-level phone searches by the number of digits typed and by the plan PostgreSQL chose,
 * the slowest of them and the slowest prefixes; returns the slowest phone parts.
 */
export async function printSearchBreakdown(
  app: ClientSearchApp,
  p: SearchInputs,
  d: SearchInputs,
  runs: SearchRuns,
): Promise<{ input: string; ms: number }[]> {
  const byLength = groupTimes(
    d.measured.map((digits) => digits.length),
    runs.sqlPhone.times,
  );
  console.log('\n  partial phone, SQL level, by number of digits typed:');
  for (const [length, times] of [...byLength.entries()].sort((a, b) => a[0] - b[0])) {
    console.log(`    ${length} digits: ${percentilesLine(times)}`);
  }
  const slowestPhones = slowestInputs(d.measured, runs.sqlPhone.times, 8);
  console.log(
    `  slowest phone parts (SQL level): ${slowestPhones.map((x) => `"${x.input}" ${x.ms.toFixed(1)} ms`).join(', ')}`,
  );
  const kinds: string[] = [];
  for (const digits of d.measured) kinds.push(await phonePlanKind(app, digits));
  console.log('  partial phone, SQL level, by the plan PostgreSQL chose:');
  for (const [kind, times] of groupTimes(kinds, runs.sqlPhone.times)) {
    console.log(`    ${kind.padEnd(44)} ${percentilesLine(times)}`);
  }
  const slowestPrefixes = slowestInputs(p.measured, runs.sqlPrefix.times, 5);
  console.log(
    `  slowest prefixes (SQL level): ${slowestPrefixes.map((x) => `"${x.input}" ${x.ms.toFixed(1)} ms`).join(', ')}`,
  );
  return slowestPhones;
}
