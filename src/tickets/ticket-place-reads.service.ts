import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { raw, runSql, sql } from '../common/sql/sql';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { preparedQuery } from '../database/prepared';
import {
  ContactPlace,
  ContactPlaceWithPage,
  contactRows,
  NO_LATER_THAN_ANY,
  PlacePageRequest,
  placePageSql,
  ROW_PHONES,
  ticketColumns,
} from './ticket-place-statements';
import { ContactKey, contactPlacesSql, contactPredicate, NIL_UUID } from './ticket-scope';
import { TicketScope, visibleTicketsSql } from './ticket-visibility';
import { TicketEntity } from './ticket.entity';

type PlaceRow = Record<string, unknown> & {
  k: number;
  placeId: string;
  buildingId: string;
  premisesId: string | null;
  lastNumber: number;
};

/**
 * The read model of a contact's tickets by place, batched for the request's loaders and the card:
 * each method answers for many contacts (or pages) in one statement.
 */
@Injectable()
export class TicketPlaceReads {
  private ticketPropertyNames: string[] | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every place a contact filed tickets at that the employee may see, most recent first; one statement for any number of contacts. */
  async placesOf(scope: TicketScope, contacts: readonly ContactKey[]): Promise<ContactPlace[][]> {
    requireOrganization(scope.organizationId);
    const rows = await preparedQuery<ContactPlace & { k: number }>(
      this.dataSource,
      sql`SELECT r.k, p.place_id AS "placeId", p.building_id AS "buildingId", p.premises_id AS "premisesId", p.last AS "lastNumber"
         FROM ${contactRows(contacts)} AS r(k, client_id, phones)
         CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('r.client_id'), ROW_PHONES)}) p
        ORDER BY r.k, p.last DESC`,
    );
    const result: ContactPlace[][] = contacts.map(() => []);
    for (const { k, ...place } of rows) result[k].push(place);
    return result;
  }

  /**
   * Every place of each contact with the first `perPlace` tickets there, in one statement: what the
   * card shows without a second round trip for the pages.
   */
  async placesWithFirstPages(
    scope: TicketScope,
    contacts: readonly ContactKey[],
    perPlace: number,
  ): Promise<ContactPlaceWithPage[][]> {
    requireOrganization(scope.organizationId);
    const rows = await preparedQuery<PlaceRow>(
      this.dataSource,
      sql`SELECT r0.k, p.place_id AS "placeId", p.building_id AS "buildingId", p.premises_id AS "premisesId", p.last AS "lastNumber", ${ticketColumns(this.dataSource.getMetadata(TicketEntity), 'u', 'ticket_')}
         FROM ${contactRows(contacts)} AS r0(k, client_id, phones)
         CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('r0.client_id'), raw("string_to_array(r0.phones, ',')"))}) p
         CROSS JOIN LATERAL (SELECT r0.client_id, r0.phones, p.place_id) r
         LEFT JOIN LATERAL (${placePageSql(scope, sql`${perPlace}`, NO_LATER_THAN_ANY)}) u ON true
        ORDER BY r0.k, p.last DESC, u.number DESC`,
    );
    const result: ContactPlaceWithPage[][] = contacts.map(() => []);
    for (const row of rows) {
      const places = result[row.k];
      let place = places[places.length - 1];
      if (place?.placeId !== row.placeId)
        places.push(
          (place = {
            placeId: row.placeId,
            buildingId: row.buildingId,
            premisesId: row.premisesId,
            lastNumber: row.lastNumber,
            firstPage: [],
          }),
        );
      if (row.ticket_id) place.firstPage.push(this.prefixed(row, 'ticket_'));
    }
    return result;
  }

  /** Further pages of a contact's tickets at several places, in one statement. */
  async placePages(scope: TicketScope, requests: readonly PlacePageRequest[]): Promise<TicketEntity[][]> {
    requireOrganization(scope.organizationId);
    const rows = await runSql<TicketEntity & { k: number }>(
      this.dataSource,
      sql`SELECT r.k, ${ticketColumns(this.dataSource.getMetadata(TicketEntity), 'u')}
         FROM unnest(${requests.map((_, i) => i)}::int[], ${requests.map((r) => r.contact.clientId)}::uuid[], ${requests.map((r) => r.contact.phones.join(','))}::text[],
                     ${requests.map((r) => (isUuid(r.placeId) ? r.placeId : NIL_UUID))}::uuid[], ${requests.map((r) => r.first)}::int[], ${requests.map((r) => r.before)}::int[])
                AS r(k, client_id, phones, place_id, lim, before)
         CROSS JOIN LATERAL (${placePageSql(scope, raw('r.lim'), raw('coalesce(r.before, 2147483647)'))}) u
        ORDER BY r.k, u.number DESC`,
    );
    const result: TicketEntity[][] = requests.map(() => []);
    for (const { k, ...ticket } of rows) result[k].push(ticket as TicketEntity);
    return result;
  }

  /** How many of a contact's tickets each place holds (for `totalCount`), one statement. */
  async placeCounts(
    scope: TicketScope,
    requests: readonly { contact: ContactKey; placeId: string }[],
  ): Promise<number[]> {
    const rows = await runSql<{ k: number; n: string }>(
      this.dataSource,
      sql`SELECT r.k, (SELECT count(*) FROM ticket t WHERE t.organization_id = ${requireOrganization(scope.organizationId)} AND t.place_id = r.place_id
                     AND ${contactPredicate('t', raw('r.client_id'), ROW_PHONES)} ${visibleTicketsSql(scope, 't')}) AS n
         FROM unnest(${requests.map((_, i) => i)}::int[], ${requests.map((r) => r.contact.clientId)}::uuid[], ${requests.map((r) => r.contact.phones.join(','))}::text[],
                     ${requests.map((r) => (isUuid(r.placeId) ? r.placeId : NIL_UUID))}::uuid[]) AS r(k, client_id, phones, place_id)`,
    );
    const counts = requests.map(() => 0);
    for (const row of rows) counts[row.k] = Number(row.n);
    return counts;
  }

  /** A ticket read back from columns `ticketColumns` selected with `prefix` (the card reads a page per place this way). */
  private prefixed(row: Record<string, unknown>, prefix: string): TicketEntity {
    const ticket: Record<string, unknown> = {};
    for (const property of this.ticketProperties()) ticket[property] = row[prefix + property];
    return ticket as unknown as TicketEntity;
  }

  private ticketProperties(): string[] {
    return (this.ticketPropertyNames ??= this.dataSource.getMetadata(TicketEntity).columns.map((c) => c.propertyName));
  }
}
