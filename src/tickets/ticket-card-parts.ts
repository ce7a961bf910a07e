import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { raw, sql, Sql } from '../common/sql/sql';
import { JsonPart, jsonColumns, reviveJsonRows } from '../database/json-reads';
import { ContactPlace, ContactPlaceWithPage, NO_LATER_THAN_ANY, placePageSql } from './ticket-place-statements';
import { contactPlacesSql } from './ticket-scope';
import { TicketScope } from './ticket-visibility';
import { TicketEntity } from './ticket.entity';

/** The parts over the ticket table that the contact card's one statement (contact-card/card-statement.ts) embeds. */
@Injectable()
export class TicketCardParts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * TicketPlaceReads.placesWithFirstPages of one contact whose client id and phones are SQL (`clientId`
   * may be NULL, `phones` a text[]), as a JsonPart read with the card's head: the card of a client at
   * home then takes one round trip in all.
   */
  placesWithFirstPagesPart(
    scope: TicketScope,
    contact: { clientId: Sql; phones: Sql },
    perPlace: number,
  ): JsonPart<ContactPlaceWithPage> {
    if (!Number.isInteger(perPlace) || perPlace < 1)
      throw new Error(`perPlace must be a positive integer, got ${perPlace}`);
    const metadata = this.dataSource.getMetadata(TicketEntity);
    return {
      sql: sql`(SELECT coalesce(json_agg(json_build_object(
                'placeId', p.place_id, 'buildingId', p.building_id, 'premisesId', p.premises_id, 'lastNumber', p.last,
                'firstPage', (SELECT coalesce(json_agg(u ORDER BY u."number" DESC), '[]') FROM (SELECT ${raw(jsonColumns(metadata, 'b'))}
                  FROM (${placePageSql(scope, raw(String(perPlace)), NO_LATER_THAN_ANY, raw('r.phones'))}) b) u)
              ) ORDER BY p.last DESC), '[]')::text
         FROM (SELECT ${contact.clientId}::uuid AS client_id, coalesce(${contact.phones}, '{}')::text[] AS phones) c
        CROSS JOIN LATERAL (${contactPlacesSql(scope, raw('c.client_id'), raw('c.phones'))}) p
        CROSS JOIN LATERAL (SELECT c.client_id, c.phones, p.place_id) r)`,
      parse: (text) => {
        const places = JSON.parse(text) as (ContactPlace & { firstPage: Record<string, unknown>[] })[];
        return places.map((place) => ({
          ...place,
          firstPage: reviveJsonRows<TicketEntity>(metadata, place.firstPage),
        }));
      },
    };
  }
}
