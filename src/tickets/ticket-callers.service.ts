import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { isSelectivePhonePart, phoneDigits } from '../common/validation/phone';
import { containsPhonePartSql } from '../common/validation/phone-quadgrams';
import { TicketCallerEntity } from './ticket-caller.entity';
import { readEntitiesByKeys } from '../database/entity-reads';
import { JsonPart, jsonRowsPart } from '../database/json-reads';
import { raw, runSql, Sql, sql } from '../common/sql/sql';

/** What a typed phone part means: digits anywhere in the number, or (typed with a leading 8) its beginning. */
export interface PhoneQuery {
  contains: string;
  startsWith: string | null;
}

/** The phones that filed tickets, for the typeahead and for callers' cards. */
@Injectable()
export class TicketCallersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records the phone; keeps the most complete name given for it (Иванов Иван Иванович over Иван). */
  async remember(tx: EntityManager, organizationId: string, phone: string, name: string): Promise<void> {
    await runSql(
      tx,
      sql`INSERT INTO ticket_caller (organization_id, phone, phone_digits, full_name) VALUES (${requireOrganization(organizationId)}, ${phone}, ${phoneDigits(phone)}, ${name})
       ON CONFLICT (organization_id, phone) DO UPDATE
         SET full_name = CASE WHEN length(EXCLUDED.full_name) > length(ticket_caller.full_name) THEN EXCLUDED.full_name ELSE ticket_caller.full_name END,
             updated_at = now()`,
    );
  }

  /** The name was corrected on the card: it is the name now, shorter or not. */
  async rename(tx: EntityManager, organizationId: string, phones: string[], name: string): Promise<void> {
    if (!phones.length) return;
    await runSql(
      tx,
      sql`UPDATE ticket_caller SET full_name = ${name}, updated_at = now() WHERE organization_id = ${requireOrganization(organizationId)} AND phone = ANY(${phones})`,
    );
  }

  /** The caller whose id `id` yields, for a statement that reads it with other things. */
  callerPart(organizationId: string, id: Sql): JsonPart<TicketCallerEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(TicketCallerEntity),
      'k',
      sql`k.organization_id = ${organizationId} AND k.id = ${id}`,
    );
  }

  /** The id of the caller with this phone (one per phone in the organization), as a row set. */
  idsByPhoneSql(organizationId: string, phone: string): Sql {
    return sql`SELECT k.id FROM ticket_caller k WHERE k.organization_id = ${organizationId} AND k.phone = ${phone}::text`;
  }

  /** The phone of the caller whose id `id` yields, as a one-element text[] (a contact key's phones); NULL when there is no such caller. */
  phonesSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT ARRAY[k.phone] FROM ticket_caller k WHERE k.organization_id = ${organizationId} AND k.id = ${id})`;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, TicketCallerEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(
      this.dataSource,
      TicketCallerEntity,
      organizationId,
      'id',
      ids.filter(isUuid),
    );
    return new Map(rows.map((c) => [c.id, c]));
  }

  /**
   * Callers whose phone matches: those starting with the typed beginning first, then, if the page is not
   * full yet, those containing the digits, each page in phone order. The beginning is a range of
   * (organization_id, phone_digits). Three digits match about one phone in a hundred: the walk of that
   * index stops once the page is full; rarer parts (four digits and more) take the first matches the quadgram index yields
   * (sorting every match first is what made them slow). Beginnings go first and alone
   * when they fill the page because every mobile starts with 79: "79870" contains-matched in phone order
   * would walk past every phone from 7900… to reach 79870…, where its matches bunch up (70 ms at 200,000
   * callers, bench/contact-card.ts). `excludeSql` drops callers who have a client card (the card is the
   * contact then) while walking; `dropSql`, a dearer test, only from the rows of the page.
   */
  async search(
    organizationId: string,
    query: PhoneQuery,
    limit: number,
    excludeSql: (organization: Sql, phone: Sql) => Sql,
    dropSql?: (organization: Sql, phone: Sql) => Sql,
  ): Promise<TicketCallerEntity[]> {
    requireOrganization(organizationId);
    const callerPhone = raw(`('+' || c.phone_digits) COLLATE "default"`);
    const page = (match: Sql, order: string | null) => {
      const matches = sql`SELECT c.id FROM ticket_caller c WHERE c.organization_id = ${organizationId} AND ${match}
                          AND NOT ${excludeSql(raw('c.organization_id'), callerPhone)}`;
      // Unordered, the matches are materialized so they come from the quadgram index: under a bare LIMIT
      // the planner may scan the table on its (much too high) guess of how many rows match.
      const first = order
        ? sql`${matches} ORDER BY ${raw(order)} LIMIT ${limit}`
        : sql`WITH m AS MATERIALIZED (${matches}) SELECT id FROM m LIMIT ${limit}`;
      const drop = dropSql ? sql` AND NOT ${dropSql(raw('k.organization_id'), raw('k.phone'))}` : sql``;
      return runSql<TicketCallerEntity>(
        this.dataSource,
        sql`SELECT k.organization_id AS "organizationId", k.id, k.phone, k.phone_digits AS "phoneDigits", k.full_name AS "fullName", k.created_at AS "createdAt", k.updated_at AS "updatedAt"
           FROM ticket_caller k
          WHERE k.organization_id = ${organizationId} AND k.id = ANY(ARRAY(${first}))${drop}
          ORDER BY k.phone_digits`,
      );
    };
    // The walk reads only the index (phone digits and id, the phone being "+" and its digits); whole rows
    // are read for the page alone. Concatenation hides the column from the index the other plan should not use.
    const selective = isSelectivePhonePart(query.contains);
    const containingPage = () =>
      selective
        ? page(containsPhonePartSql(raw('c.phone_digits'), query.contains), null)
        : page(sql`(c.phone_digits || '') LIKE ${`%${query.contains}%`}`, 'c.phone_digits');
    // A beginning as long as a selective run leaves few numbers to fill the page with: both are read at once.
    const early = query.startsWith && selective ? containingPage() : null;
    early?.catch(() => undefined);
    const starting = query.startsWith
      ? await page(sql`c.phone_digits LIKE ${`${query.startsWith}%`}`, 'c.phone_digits')
      : [];
    if (starting.length >= limit) return starting;
    const containing = await (early ?? containingPage());
    const seen = new Set<string>();
    return [...starting, ...containing].filter((r) => !seen.has(r.id) && seen.add(r.id)).slice(0, limit);
  }
}
