import { randomUUID } from 'node:crypto';
import { Actor, AuditChannel } from '../src/kernel/actor';
import { AuditEntityType } from '../src/audit/audit-enums';
import { AuditChange, AuditService } from '../src/audit/audit.service';
import { INSERT_CHUNK_ROWS } from '../src/database/bulk';
import { CrmSpace } from '../src/kernel/crm-space';
import { createOrganization, startTestApp, TestApp } from './support/test-app';

/** Bulk inserts larger than one statement's chunk (an import batch's audit entries) stay all-or-nothing. */
describe('bulk inserts in chunks', () => {
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

  it('writes every row of a set several chunks long, in as many statements as chunks', async () => {
    const rows = entries(2 * INSERT_CHUNK_ROWS + 7, 'bulk_whole');
    const statements = await app.countStatements(() => audit.record(app.dataSource.manager, actor, rows));
    expect(await countOf('bulk_whole')).toBe(rows.length);
    // Three INSERTs, and the transaction that holds them together outside a caller's own.
    expect(statements).toBe(3 + 2);
  });

  it('outside a transaction, a failing last chunk leaves none of the earlier chunks behind', async () => {
    const rows = entries(2 * INSERT_CHUNK_ROWS + 1, 'bulk_broken');
    rows[rows.length - 1].entityId = 'not-a-uuid';
    await expect(audit.record(app.dataSource.manager, actor, rows)).rejects.toThrow(/uuid/);
    expect(await countOf('bulk_broken')).toBe(0);
  });

  it("inside the caller's transaction, a failure rolls back with the caller's other writes", async () => {
    const rows = entries(INSERT_CHUNK_ROWS + 1, 'bulk_in_tx');
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
