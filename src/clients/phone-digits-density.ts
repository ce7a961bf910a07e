import { Injectable } from '@nestjs/common';
import { runSql, sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appLogger } from '../common/logging/json-logger';
import { QUADGRAM_MIN_DIGITS } from '../common/validation/phone-quadgrams';

const SAMPLE_SIZE = 20_000;
const REFRESH_AFTER_MS = 10 * 60 * 1000;

interface Histogram {
  builtAt: number;
  /** Cards in the organization. */
  total: number;
  sampled: number;
  /** How many sampled cards contain each 3- and 4-digit run. */
  runs: Map<string, number>;
  /** How many sampled phones begin with each 4 digits. */
  leads: Map<string, number>;
  /** The sampled digits themselves, for exact counts of longer runs. */
  sample: string[];
}

/**
 * How many of an organization's cards a typed run of phone digits matches, estimated from a sample
 * of their digits. It decides the plan of a partial-phone search: a run found in many cards is met
 * early by walking the surname index in list order; a rare one is cheaper as a trigram bitmap and a
 * sort of its few matches. PostgreSQL cannot tell the two apart for a '%digits%' pattern (its
 * estimate comes from a 100-value histogram), and either plan alone has a slow tail: the walk for
 * rare runs, the bitmap for common ones such as "7916".
 */
@Injectable()
export class PhoneDigitsDensity {
  private readonly histograms = new Map<string, Histogram>();
  private readonly loading = new Map<string, Promise<void>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Whether walking the surname index is the cheaper plan for these digits: true when the matches are
   * many enough that the walk meets a page of them within about as many index entries as the bitmap
   * would read rows. Undefined until the organization's sample is read (in the background).
   */
  prefersWalk(organizationId: string, digits: string, pageSize: number): boolean | undefined {
    const histogram = this.histograms.get(organizationId);
    if (!histogram || Date.now() - histogram.builtAt > REFRESH_AFTER_MS) this.refresh(organizationId);
    if (!histogram) return undefined;
    // Walk cost ≈ pageSize·total/matches index entries (≈0.3 µs each, on a few densely packed pages);
    // bitmap cost ≈ matches rows read and sorted, measured with bench/clients.ts at 1M cards: ≈10 µs
    // each from the trigram index (most of its candidates are rechecked away), 1.6 µs from the quadgram
    // index (its candidates are the matches) when the rows are in shared buffers and ≈5 µs when they are
    // not, one heap page each. Walk when matches² > pageSize·total·0.3/bitmap µs: for 20 cards of 1M,
    // above ≈ 800 matches by trigrams and ≈ 1,100 by quadgrams (≈ 6 ms at the crossover either way cold,
    // ≈ 2 ms warm with quadgrams).
    const bitmapMicros = digits.length >= QUADGRAM_MIN_DIGITS ? 5 : 10;
    const walkAbove = Math.sqrt(((pageSize + 1) * histogram.total * 0.3) / bitmapMicros);
    const matches = estimateMatches(histogram, digits, walkAbove);
    return matches > walkAbove;
  }

  /**
   * Whether at least `count` cards are expected to contain the digits; undefined until the sample is
   * read. A rough guess that costs no scan of the sample (each digit past four taken to divide the
   * matches of the rarest 4-digit run by ten): it decides what to read at once, not what is shown.
   */
  expectsAtLeast(organizationId: string, digits: string, count: number): boolean | undefined {
    const histogram = this.histograms.get(organizationId);
    if (!histogram || Date.now() - histogram.builtAt > REFRESH_AFTER_MS) this.refresh(organizationId);
    if (!histogram) return undefined;
    return roughMatches(histogram, digits) >= count;
  }

  private refresh(organizationId: string): void {
    if (this.loading.has(organizationId)) return;
    const load = this.build(organizationId)
      .then((histogram) => void this.histograms.set(organizationId, histogram))
      .catch((error: unknown) =>
        appLogger.warn('phone digit histogram not built', { organizationId, error: String(error) }),
      )
      .finally(() => this.loading.delete(organizationId));
    this.loading.set(organizationId, load);
  }

  /** For tests and benchmarks: wait until the organization's histogram is in place. */
  async ready(organizationId: string): Promise<void> {
    if (!this.histograms.has(organizationId)) this.refresh(organizationId);
    await this.loading.get(organizationId);
  }

  private async build(organizationId: string): Promise<Histogram> {
    const [{ total }] = await runSql<{ total: number }>(
      this.dataSource,
      sql`SELECT count(*)::int AS total FROM client WHERE organization_id = ${organizationId}`,
    );
    // Phone digits do not depend on the surname, so the first cards in surname order (read from the
    // index alone, which carries the digits) are as good a sample as any.
    const rows: { phone_digits: string }[] = await runSql(
      this.dataSource,
      sql`SELECT phone_digits FROM client WHERE organization_id = ${organizationId} AND phone_digits <> '' ORDER BY surname_key, id LIMIT ${SAMPLE_SIZE}`,
    );
    const runs = new Map<string, number>();
    const leads = new Map<string, number>();
    for (const { phone_digits: digits } of rows) {
      const seen = new Set<string>();
      for (const phone of digits.split(' ')) {
        const lead = phone.slice(0, 4);
        leads.set(lead, (leads.get(lead) ?? 0) + 1);
        for (let length = 3; length <= 4; length++) {
          for (let i = 0; i + length <= phone.length; i++) seen.add(phone.slice(i, i + length));
        }
      }
      for (const run of seen) runs.set(run, (runs.get(run) ?? 0) + 1);
    }
    return {
      builtAt: Date.now(),
      total,
      sampled: Math.max(rows.length, 1),
      runs,
      leads,
      sample: rows.map((r) => r.phone_digits),
    };
  }
}

/** Sampled cards holding the rarest 4-digit run of `digits`: an upper bound of those holding them all. */
function rarestRun(histogram: Pick<Histogram, 'runs'>, digits: string): number {
  let rarest = Infinity;
  for (let i = 0; i + 4 <= digits.length; i++)
    rarest = Math.min(rarest, histogram.runs.get(digits.slice(i, i + 4)) ?? 0);
  return rarest;
}

/**
 * Cards containing `digits`, from the 3- and 4-digit runs alone. Beyond four digits each further digit
 * divides the rarest run's cards by ten; the numbers the digits begin are counted apart, since every
 * mobile begins alike ("796133" begins 100 numbers in 1M, while its rarest run alone would give 7).
 */
export function roughMatches(
  histogram: Pick<Histogram, 'total' | 'sampled' | 'runs' | 'leads'>,
  digits: string,
): number {
  const scale = histogram.total / histogram.sampled;
  if (digits.length <= 4) return (histogram.runs.get(digits) ?? 0) * scale;
  const rarest = rarestRun(histogram, digits);
  const beginning = (histogram.leads.get(digits.slice(0, 4)) ?? 0) / 10 ** (digits.length - 4);
  return Math.max(rarest / 10 ** (digits.length - 4), beginning) * scale;
}

/**
 * Cards containing `digits`. A 3–4 digit run is looked up; a longer one is first bounded by its rarest
 * 4-digit run and, only when that bound is large, counted exactly in the sample (each further digit
 * usually divides the matches by ten, so the bound alone would send "7909297" on a walk of every card).
 */
export function estimateMatches(
  histogram: Pick<Histogram, 'total' | 'sampled' | 'runs' | 'sample'>,
  digits: string,
  largeAbove = 0,
): number {
  const scale = histogram.total / histogram.sampled;
  if (digits.length <= 4) return (histogram.runs.get(digits) ?? 0) * scale;
  const bound = rarestRun(histogram, digits);
  if (bound * scale <= largeAbove) return bound * scale;
  let count = 0;
  for (const phones of histogram.sample) if (phones.includes(digits)) count++;
  return count * scale;
}
