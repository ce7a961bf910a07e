import { Injectable } from '@nestjs/common';
import { TicketScope, visibleTicketsSql } from './ticket-visibility';
import { runSql, sql } from '../common/sql/sql';
import { EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ClientReads } from '../clients/client-reads';
import { ClientPhonesGained, PhonesGained } from '../kernel/events';
import { requireOrganization } from '../common/tenancy/require-organization';

/**
 * When a caller's phone becomes a client's — by createClient, the import, the integration API, a
 * registration or changeClientPhone — the tickets filed earlier from that phone without a card get the
 * card as their client, in the transaction that gave the card the phone, each audited. A phone two cards
 * carry (a shared family phone) links nobody: whose call it was is not known.
 */
@Injectable()
export class TicketClientLinkService {
  constructor(
    private readonly clients: ClientReads,
    private readonly audit: AuditService,
  ) {}

  /** ClientPhonesGained: the callers' earlier tickets follow the phones to their card. */
  async onClientPhonesGained({ tx, actor, gained }: ClientPhonesGained): Promise<void> {
    await this.link(tx, actor, gained);
  }

  async link(tx: EntityManager, actor: Actor, gained: readonly PhonesGained[]): Promise<number> {
    const organizationId = requireOrganization(actor.organizationId);
    const pairs = gained.flatMap((g) => g.phones.map((phone) => ({ clientId: g.clientId, phone })));
    if (!pairs.length) return 0;
    // The callers' tickets first (ix_ticket_caller_place): most phones have none, and then that is all.
    const hits = await runSql<{ id: string; clientId: string; phone: string }>(
      tx,
      sql`SELECT t.id, g.client_id AS "clientId", g.phone
         FROM unnest(${pairs.map((p) => p.clientId)}::uuid[], ${pairs.map((p) => p.phone)}::text[]) AS g(client_id, phone)
         JOIN ticket t ON t.organization_id = ${organizationId} AND t.client_id IS NULL AND t.contact_phone = g.phone`,
    );
    if (!hits.length) return 0;
    // A phone another card carries too (a family's) is nobody's in particular: its tickets stay unlinked.
    const owners = new Map<string, string[]>();
    for (const phone of new Set(hits.map((h) => h.phone)))
      owners.set(phone, await this.clients.idsWithPhone(tx, organizationId, phone));
    const linkable = hits.filter((h) => owners.get(h.phone)!.every((id) => id === h.clientId));
    if (!linkable.length) return 0;
    const rows = await runSql<{ id: string; clientId: string; phone: string }>(
      tx,
      sql`UPDATE ticket t SET client_id = x.client_id, updated_at = now()
         FROM unnest(${linkable.map((h) => h.id)}::uuid[], ${linkable.map((h) => h.clientId)}::uuid[]) AS x(id, client_id)
        WHERE t.organization_id = ${organizationId} AND t.id = x.id AND t.client_id IS NULL
        RETURNING t.id, t.client_id AS "clientId", t.contact_phone AS phone`,
    );
    await this.audit.record(
      tx,
      actor,
      rows.map((row) => ({
        entityType: AuditEntityType.TICKET,
        entityId: row.id,
        action: 'client_linked',
        before: { clientId: null },
        after: { clientId: row.clientId, byPhone: row.phone },
      })),
    );
    return rows.length;
  }

  /** How many tickets filed from these phones the card now carries that `scope` lets the editor see (a caller turned client: all of theirs). */
  async countLinked(
    tx: EntityManager,
    scope: TicketScope,
    clientId: string,
    phones: readonly string[],
  ): Promise<number> {
    const [{ n }] = await runSql<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM ticket t WHERE t.organization_id = ${requireOrganization(scope.organizationId)} AND t.client_id = ${clientId}
            AND t.contact_phone = ANY(${[...phones]}::text[]) ${visibleTicketsSql(scope, 't')}`,
    );
    return n;
  }
}
