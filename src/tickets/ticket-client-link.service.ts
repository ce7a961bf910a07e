import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../audit/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService } from '../audit/audit.service';
import { ClientsService, PhonesGained } from '../clients/clients.service';
import { requireOrganization } from '../common/tenancy/require-organization';

/**
 * When a caller's phone becomes a client's — by createClient, the import, the integration API, a
 * registration or changeClientPhone — the tickets filed earlier from that phone without a card get the
 * card as their client, in the transaction that gave the card the phone, each audited. A phone two cards
 * carry (a shared family phone) links nobody: whose call it was is not known.
 */
@Injectable()
export class TicketClientLinkService implements OnModuleInit {
  constructor(
    private readonly clients: ClientsService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.clients.onPhonesGained(async (tx, actor, gained) => {
      await this.link(tx, actor, gained);
    });
  }

  async link(tx: EntityManager, actor: Actor, gained: readonly PhonesGained[]): Promise<number> {
    const pairs = gained.flatMap((g) => g.phones.map((phone) => ({ clientId: g.clientId, phone })));
    if (!pairs.length) return 0;
    const result: unknown = await tx.query(
      `WITH g AS (SELECT * FROM unnest($2::uuid[], $3::text[]) AS g(client_id, phone))
       UPDATE ticket t SET client_id = g.client_id, updated_at = now()
         FROM g
        WHERE t.organization_id = $1 AND t.client_id IS NULL AND t.contact_phone = g.phone
          AND NOT EXISTS (SELECT 1 FROM client c WHERE c.organization_id = $1 AND c.id <> g.client_id
                             AND (c.phone = g.phone OR c.extra_phones @> ARRAY[g.phone]))
        RETURNING t.id, t.client_id AS "clientId", t.contact_phone AS phone`,
      [requireOrganization(actor.organizationId), pairs.map((p) => p.clientId), pairs.map((p) => p.phone)],
    );
    // node-postgres answers an UPDATE … RETURNING through TypeORM as [rows, count].
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as { id: string; clientId: string; phone: string }[];
    await this.audit.record(
      tx,
      actor,
      rows.map((row) => ({ entityType: AuditEntityType.TICKET, entityId: row.id, action: 'client_linked', before: { clientId: null }, after: { clientId: row.clientId, byPhone: row.phone } })),
    );
    return rows.length;
  }

  /** How many tickets filed from these phones the card now carries (a caller turned client: all of theirs). */
  async countLinked(tx: EntityManager, organizationId: string, clientId: string, phones: readonly string[]): Promise<number> {
    const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM ticket WHERE organization_id = $1 AND client_id = $2 AND contact_phone = ANY($3::text[])`, [requireOrganization(organizationId), clientId, [...phones]]);
    return n as number;
  }
}
