/* The load benchmark's report (bench/load.ts): each phase's figures, then the targets. */
import { LoadFigures } from './load-generator';

const TARGETS = { floorRatio: 0.5, typeaheadP99: 25, cardP99: 50, underImport: 2 };

/** A phase's figures per kind, the server side's CPU per answer and the api's pool gauges. */
export function printFigures(
  title: string,
  figures: LoadFigures,
  { clients, thinkMs }: { clients: number; thinkMs: number },
  postgresLabel = 'postgres',
): void {
  console.log(`\n  ${title} — ${clients} clients, ${figures.seconds.toFixed(0)} s`);
  console.log(
    `    ${'kind'.padEnd(14)} ${'ok'.padStart(7)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}  errors`,
  );
  for (const k of figures.kinds) {
    const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1)).padStart(7);
    const errors = [...k.errors].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
    console.log(
      `    ${k.kind.padEnd(14)} ${String(k.ok).padStart(7)} ${k.perSecond.toFixed(1).padStart(8)} ${ms(k.latency?.p50)} ${ms(k.latency?.p95)} ${ms(k.latency?.p99)} ${ms(k.latency?.max)}  ${errors}`,
    );
  }
  const total = figures.kinds.reduce((sum, k) => sum + k.ok, 0);
  const littles = thinkMs
    ? ''
    : ` (closed loop: mean latency ≈ ${clients} clients / throughput = ${((clients / (total / figures.seconds)) * 1000).toFixed(0)} ms)`;
  console.log(
    `    ${'all'.padEnd(14)} ${String(total).padStart(7)} ${(total / figures.seconds).toFixed(1).padStart(8)}${littles}`,
  );
  const cpu = figures.cpuPerAnswer;
  const ms = (value: number | null | undefined) => (value == null ? 'n/a' : `${value.toFixed(2)} ms`);
  if (cpu)
    console.log(`    server CPU per answer (all kinds): node ${ms(cpu.node)}, ${postgresLabel} ${ms(cpu.postgres)}`);
  for (const p of figures.pools) {
    console.log(
      `    db pool ${p.pool} (max ${p.size}): busy ≤ ${p.maxBusy}; queries waiting for a connection in ${p.withWaiters} of ${p.samples} samples, at most ${p.maxWaiting}, mean ${p.meanWaiting.toFixed(2)}`,
    );
  }
}

const kind = (figures: LoadFigures, name: string) => figures.kinds.find((k) => k.kind === name);
const errorsOf = (figures: LoadFigures) =>
  figures.kinds.reduce((sum, k) => sum + [...k.errors.values()].reduce((a, b) => a + b, 0), 0);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** 5. Every target with its verdict. */
export function printTargets(
  alone: LoadFigures,
  cardsOnly: LoadFigures,
  floor: LoadFigures,
  withImport: LoadFigures | null,
): void {
  console.log('\n5. Targets');
  const ratio = (kind(cardsOnly, 'card')?.perSecond ?? 0) / (kind(floor, 'card')?.perSecond || Infinity);
  console.log(
    `  card throughput / floor: ${kind(cardsOnly, 'card')?.perSecond.toFixed(1)} / ${kind(floor, 'card')?.perSecond.toFixed(1)} req/s = ${ratio.toFixed(2)} (target ≥ ${TARGETS.floorRatio}: ${verdict(ratio >= TARGETS.floorRatio)})`,
  );
  const p99 = (figures: LoadFigures, name: string, limit: number, label: string) => {
    const value = kind(figures, name)?.latency?.p99;
    console.log(
      `  ${label}: ${value === undefined ? '—' : `${value.toFixed(1)} ms`} (target ≤ ${limit} ms: ${verdict(value !== undefined && value <= limit)})`,
    );
  };
  p99(alone, 'typeahead', TARGETS.typeaheadP99, 'typeahead p99 without the import');
  p99(alone, 'card', TARGETS.cardP99, 'card p99 without the import');
  if (withImport) {
    p99(withImport, 'typeahead', TARGETS.typeaheadP99 * TARGETS.underImport, 'typeahead p99 during the import');
    p99(withImport, 'card', TARGETS.cardP99 * TARGETS.underImport, 'card p99 during the import');
  }
  const errors = [alone, cardsOnly, ...(withImport ? [withImport] : [])].reduce((sum, f) => sum + errorsOf(f), 0);
  console.log(`  errors of the service: ${errors} (target 0: ${verdict(errors === 0)})`);
}
