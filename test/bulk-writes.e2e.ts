import { randomUUID } from 'node:crypto';
import { Actor, AuditChannel } from '../src/kernel/actor';
import { AuditEntityType } from '../src/audit/audit-enums';
import { AuditChange, AuditService } from '../src/audit/audit.service';
import { COPY_PIECE_ROWS } from '../src/database/bulk';
import { CrmSpace } from '../src/kernel/crm-space';
import { ClientImportWriter } from '../src/clients/client-import-writer';
import { isUniqueViolation } from '../src/common/errors/database-errors';
import { QueryFailedError } from 'typeorm';
import { createOrganization, startTestApp, TestApp } from './support/test-app';

/** Bulk inserts (COPY) larger than one piece of text (an import batch's audit entries) are one statement, all-or-nothing. */
describe('bulk inserts through COPY', () => {
  let app: TestApp;
  let actor: Actor;
  let audit: AuditService;
  const entries = (count: number, action: string): AuditChange[] =>
    Array.from({ length: count }, (_, i) => ({
      entityType: AuditEntityType.CLIENT,
      entityId: randomUUID(),
      action,
      after: { lastName: 'Иванов', n: i },
    }));
  const countOf = async (action: string) =>
    Number(
      (
        await app.dataSource.query('SELECT count(*) FROM audit_entry WHERE organization_id = $1 AND action = $2', [
          actor.organizationId,
          action,
        ])
      )[0].count,
    );

  beforeAll(async () => {
    app = await startTestApp();
    const org = await createOrganization(app);
    actor = {
      organizationId: org.organizationId,
      employeeId: org.adminId,
      channel: AuditChannel.IMPORT,
      channelRef: randomUUID(),
      space: CrmSpace.OPERATION,
    };
    audit = app.server.app.get(AuditService);
  });
  afterAll(() => app.close());

  it('writes every row of a set several pieces long, in one statement', async () => {
    const rows = entries(2 * COPY_PIECE_ROWS + 7, 'bulk_whole');
    const statements = await app.countStatements(() => audit.record(app.dataSource.manager, actor, rows));
    expect(await countOf('bulk_whole')).toBe(rows.length);
    expect(statements).toBe(1);
  });

  it('keeps text as typed: tabs, newlines, backslashes, quotes and braces in values and arrays', async () => {
    const awkward = 'a\tb\\n "q" {x,y}\r\nконец\\';
    await audit.record(app.dataSource.manager, actor, [
      {
        entityType: AuditEntityType.CLIENT,
        entityId: randomUUID(),
        action: 'bulk_awkward',
        after: { text: awkward, list: [awkward, null] },
      },
    ]);
    const [row] = await app.dataSource.query(
      "SELECT after FROM audit_entry WHERE organization_id = $1 AND action = 'bulk_awkward'",
      [actor.organizationId],
    );
    expect(row.after).toEqual({ text: awkward, list: [awkward, null] });
  });

  it('keeps array elements as typed (text[] through its array literal)', async () => {
    const writer = app.server.app.get(ClientImportWriter);
    const card = Object.assign(writer.newCard(actor.organizationId), {
      lastName: 'Tab\there "quoted" \\ {brace}',
      extraPhones: ['a,b', '{c}', 'd"e\\f', 'g\nh', 'NULL'],
      phoneDigits: '',
      surnameKey: 'tab',
      nameKey: 'tab||',
    });
    await writer.insertMany(app.dataSource.manager, [card]);
    const [row] = await app.dataSource.query(
      'SELECT last_name AS "lastName", extra_phones AS "extraPhones", tester FROM client WHERE organization_id = $1 AND id = $2',
      [actor.organizationId, card.id],
    );
    expect(row).toEqual({ lastName: card.lastName, extraPhones: card.extraPhones, tester: false });
  });

  it("fails a duplicate key as TypeORM's QueryFailedError with PostgreSQL's code, which the import's batch retry reads", async () => {
    const writer = app.server.app.get(ClientImportWriter);
    const card = Object.assign(writer.newCard(actor.organizationId), {
      phoneDigits: '',
      surnameKey: 'x',
      nameKey: 'x||',
    });
    await writer.insertMany(app.dataSource.manager, [card]);
    const failure = await writer.insertMany(app.dataSource.manager, [card]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(failure)).toBe(true);
  });

  it('outside a transaction, a failing last piece leaves none of the earlier pieces behind', async () => {
    const rows = entries(2 * COPY_PIECE_ROWS + 1, 'bulk_broken');
    rows[rows.length - 1].entityId = 'not-a-uuid';
    await expect(audit.record(app.dataSource.manager, actor, rows)).rejects.toThrow(/uuid/);
    expect(await countOf('bulk_broken')).toBe(0);
  });

  it("inside the caller's transaction, a failure rolls back with the caller's other writes", async () => {
    const rows = entries(COPY_PIECE_ROWS + 1, 'bulk_in_tx');
    await expect(
      app.dataSource.transaction(async (tx) => {
        await audit.record(tx, actor, entries(3, 'bulk_in_tx_before'));
        await audit.record(tx, actor, rows);
        throw new Error('the batch failed after its audit entries');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await countOf('bulk_in_tx')).toBe(0);
    expect(await countOf('bulk_in_tx_before')).toBe(0);
  });
});
