import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../kernel/actor';
import { BadInputException } from '../common/errors/domain.exception';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { KeysetColumn, keysetCodec, paginate } from '../common/pagination/keyset';
import { escapeLike } from '../common/sql/escape-like';
import { empty, raw, runSql, sql, Sql } from '../common/sql/sql';
import { entitySelection } from '../database/hydrate';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { isSelectivePhonePart } from '../common/validation/phone';
import { containsPhonePartSql, QUADGRAM_MIN_DIGITS } from '../common/validation/phone-quadgrams';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService } from '../external-ids/external-ids.service';
import { ClientSearchExtension } from './client-extensions';
import { surnamePrefixKey } from './client-names';
import { ClientEntity } from './client.entity';
import { ClientFilter } from './dto/client.input';
import { PhoneDigitsDensity } from './phone-digits-density';

/** The client list's order: surname, then id. `surnameSql` varies by plan (see list) but orders alike. */
function clientListKeys(surnameSql: string): KeysetColumn<ClientEntity>[] {
  return [
    { sql: surnameSql, name: 'surname_key', kind: 'text', value: (c) => c.surnameKey },
    { sql: 'c.id', kind: 'uuid', value: (c) => c.id },
  ];
}

/**
 * Finding client cards: the client list (surname, phone digits, status, type, tags, external id and the
 * conditions other modules add), the phone typeahead's cards, and the conditions over the client table that
 * the callers' typeahead embeds. Reads only.
 */
@Injectable()
export class ClientSearch {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly externalIds: ExternalIdsService,
    private readonly phoneDensity: PhoneDigitsDensity,
  ) {}

  /** `related`: the conditions of the filter's fields over other modules' tables (premises, account number), from those modules. */
  async list(
    actor: Actor,
    filter: ClientFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
    related: readonly ClientSearchExtension[] = [],
  ): Promise<ConnectionShape<ClientEntity>> {
    requireOrganization(actor.organizationId);
    const organizationId = actor.organizationId;
    const where = [sql`c.organization_id = ${organizationId}`];
    const search = filter?.search?.trim();
    const searchDigits = search?.replace(/[\s()+\-.]/g, '');
    const phone = filter?.phone ?? (search && /^\d{3,}$/.test(searchDigits ?? '') ? search : undefined);
    let walkDigits = false;
    // The digits' pattern when the surname index is walked for them.
    let pattern: string | undefined;
    const prefix = filter?.surnamePrefix ?? (search && phone === undefined ? search : undefined);
    if (prefix?.trim()) where.push(sql`c.surname_key LIKE ${`${escapeLike(surnamePrefixKey(prefix))}%`}`);
    if (phone !== undefined) {
      let digits = phone.replace(/\D/g, '');
      // "8 916…" is how people write +7 916…: the stored digits start with 7.
      if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
      if (digits.length < 3)
        throw BadInputException.field(
          'filter.phone',
          'введите не меньше 3 цифр телефона',
          'type at least 3 digits of the phone',
        );
      walkDigits = this.walksFor(organizationId, digits, page.first);
      where.push(
        walkDigits || digits.length < QUADGRAM_MIN_DIGITS
          ? sql`c.phone_digits LIKE ${`%${digits}%`}`
          : containsPhonePartSql(raw('c.phone_digits'), digits),
      );
      if (walkDigits) pattern = `%${digits}%`;
    }
    if (filter?.status) where.push(sql`c.status = ${filter.status}`);
    if (filter?.type) where.push(sql`c.type = ${filter.type}`);
    for (const tagId of filter?.tagIds ?? [])
      where.push(
        sql`EXISTS (SELECT 1 FROM client_tag ct WHERE ct.organization_id = c.organization_id AND ct.client_id = c.id AND ct.tag_id = ${isUuid(tagId) ? tagId : '00000000-0000-0000-0000-000000000000'})`,
      );
    if (filter?.externalId)
      where.push(
        this.externalIds.carriesValueSql('c', ExternalEntityType.CLIENT, filter.externalId.trim(), actor.space),
      );
    for (const condition of related) where.push(condition('c'));
    const onlyPhone = Object.entries(filter ?? {}).every(
      ([key, value]) => value === undefined || value === null || key === 'phone' || key === 'search',
    );
    if (pattern !== undefined && onlyPhone) {
      // Digits found in many cards: rather than fetch and sort them all, walk the surname index in
      // list order testing the digits kept in the index itself, until a page is full.
      const after = page.after ? keysetCodec(clientListKeys('c.surname_key')).decode(page.after) : null;
      where.push(
        sql`c.id IN (SELECT i.id FROM client i WHERE i.organization_id = ${organizationId} AND (i.phone_digits || '') LIKE ${pattern}
           ${after ? sql`AND (i.surname_key, i.id) > (${after[0]}, ${after[1]})` : empty}
           ORDER BY i.surname_key, i.id LIMIT ${page.first + 1})`,
      );
    }
    // Rare digits: the planner guesses the share of a '%digits%' pattern from a 100-value histogram and
    // sometimes walks the surname index through hundreds of thousands of rows (0.5 s, measured by
    // bench/clients.ts). An order the index cannot serve leaves it one plan: a quadgram (three digits:
    // trigram) bitmap, then a sort of the few matches.
    const surnameOrder = phone !== undefined && !walkDigits ? "(c.surname_key || '')" : 'c.surname_key';
    return paginate(
      this.dataSource,
      { entity: ClientEntity, alias: 'c', where },
      page,
      clientListKeys(surnameOrder),
      withTotal,
    );
  }

  /**
   * Whether fewer than `limit` cards are expected to contain the digits, so that a phone typeahead
   * should look for other contacts at once rather than after the cards; undefined until the
   * organization's digit sample is read.
   */
  fewCardsContain(organizationId: string, digits: string, limit: number): boolean | undefined {
    const many = this.phoneDensity.expectsAtLeast(organizationId, digits, limit);
    return many === undefined ? undefined : !many;
  }

  /**
   * Phone typeahead: cards whose main phone starts with the typed beginning, in phone order (a range of
   * ix_client_phone_prefix), then, if the page is not full yet, cards whose phones contain the digits,
   * in list order. Three digits match about one card in a hundred (so do "79" and two more): the surname
   * index is walked testing the digits it carries until the page is full. Rarer parts are found by the
   * quadgram index (trigram for three digits) and the first matches it yields make the page: a typeahead offers a few numbers to
   * pick from, and sorting every match first (800 cards for four digits at 1M) cost 3–11 ms.
   */
  async findByPhonePart(
    organizationId: string,
    part: { contains: string; startsWith: string | null },
    limit: number,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    const startingPage = () =>
      this.cards(
        sql`c.organization_id = ${organizationId} AND (c.phone_digits COLLATE "C") LIKE ${`${part.startsWith}%`}
           ORDER BY (c.phone_digits COLLATE "C") LIMIT ${limit}`,
      );
    // The beginnings answer first, and alone when they fill the page; when few cards even contain the
    // digits they cannot, and both are read at once rather than one round trip after the other.
    if (part.startsWith && !this.fewCardsContain(organizationId, part.contains, limit)) {
      const starting = await startingPage();
      if (starting.length >= limit) return starting;
      return this.mergePhoneMatches(
        starting,
        await this.containingPhonePart(organizationId, part.contains, limit),
        limit,
      );
    }
    const [starting, containing] = await Promise.all([
      part.startsWith ? startingPage() : [],
      this.containingPhonePart(organizationId, part.contains, limit),
    ]);
    return this.mergePhoneMatches(starting, containing, limit);
  }

  private mergePhoneMatches(starting: ClientEntity[], containing: ClientEntity[], limit: number): ClientEntity[] {
    const seen = new Set<string>();
    return [...starting, ...containing].filter((c) => !seen.has(c.id) && seen.add(c.id)).slice(0, limit);
  }

  private containingPhonePart(organizationId: string, contains: string, limit: number): Promise<ClientEntity[]> {
    const pattern = `%${contains}%`;
    const matches = this.walksFor(organizationId, contains, limit)
      ? // The walk reads the index alone (it carries the digits); whole rows are read for the page only.
        sql`c.id = ANY(ARRAY(SELECT i.id FROM client i WHERE i.organization_id = ${organizationId} AND (i.phone_digits || '') LIKE ${pattern} ORDER BY i.surname_key, i.id LIMIT ${limit}))`
      : // Materialized, the matches come from the quadgram (or, for three digits, trigram) index: under the
        // LIMIT the planner would scan the table instead, counting on its guess of how many rows match
        // ('%96085%': 8,081 of 1M; 70 really, 43,613 rows read, 8 ms against 1.5 ms).
        sql`c.id = ANY(ARRAY(WITH m AS MATERIALIZED (SELECT i.id FROM client i WHERE i.organization_id = ${organizationId} AND ${
          contains.length >= QUADGRAM_MIN_DIGITS
            ? containsPhonePartSql(raw('i.phone_digits'), contains)
            : sql`i.phone_digits LIKE ${pattern}`
        }) SELECT id FROM m LIMIT ${limit}))`;
    return this.cards(sql`c.organization_id = ${organizationId} AND ${matches} ORDER BY c.surname_key, c.id`);
  }

  /** Whole cards: `rest` is the statement's WHERE and what follows it. */
  private async cards(rest: Sql): Promise<ClientEntity[]> {
    const cards = entitySelection(this.dataSource, ClientEntity, 'c');
    const rows = await runSql<Record<string, unknown>>(
      this.dataSource,
      sql`SELECT ${cards.columns} FROM ${cards.table} WHERE ${rest}`,
    );
    return rows.map(cards.hydrate);
  }

  /**
   * SQL true when `phone` (an E.164 expression of a row in `organization`) is a client card's login
   * phone. A scalar subquery rather than EXISTS: it stays a per-row filter, so a LIMITed walk of an
   * ordered index is not turned into an anti-join over every candidate. (Contact phones: onContactPhoneSql,
   * for the few rows of a page only.)
   */
  phoneOnCardSql(organization: Sql, phone: Sql): Sql {
    return sql`coalesce((SELECT true FROM client card WHERE card.organization_id = ${organization} AND card.phone = ${phone} LIMIT 1), false)`;
  }

  /**
   * SQL true when a card carries `phone` as a contact phone. A count, not `LIMIT 1`: under a LIMIT the
   * planner reckons a scan of the table meets one of its guessed 0.5 % of matches soon, where the GIN index
   * (ix_client_extra_phones) answers at once (140 ms → 0.1 ms at 160,000 cards). That guess also makes the
   * probe cost ~2,000: kept to a page's rows, or a walk of thousands would cross jit_above_cost.
   */
  onContactPhoneSql(organization: Sql, phone: Sql): Sql {
    return sql`((SELECT count(*) FROM client card WHERE card.organization_id = ${organization} AND card.extra_phones @> ARRAY[${phone}::text]) > 0)`;
  }

  /**
   * Whether a partial-phone search should walk the surname index (digits many cards contain) rather
   * than take the quadgram (or trigram) bitmap: the organization's sampled digit histogram decides; until it is
   * read, how mobile numbers are shaped does ("79" and two digits are common).
   */
  private walksFor(organizationId: string, digits: string, pageSize: number): boolean {
    return this.phoneDensity.prefersWalk(organizationId, digits, pageSize) ?? !isSelectivePhonePart(digits);
  }
}
