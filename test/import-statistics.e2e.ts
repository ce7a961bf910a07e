import { RegistryBatchService } from '../src/imports/write/registry-batch.service';
import { finishedJob, generatedRegistry, registryXlsx, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TestApp } from './support/test-app';

describe('import: planner statistics follow what was written', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ IMPORT_BATCH_ROWS: '1000' });
  });
  afterAll(() => app.close());

  it('refreshes them while a file loads new records, and not while a re-import finds nothing to change', async () => {
    const org = await createOrganization(app);
    const refresh = jest.spyOn(app.server.app.get(RegistryBatchService), 'refreshStatistics');
    // 4,000 rows written is the first refresh point (statistics-schedule.ts).
    const file = await registryXlsx(generatedRegistry(4500, 500_000));
    const run = async () =>
      finishedJob(app, org.adminToken, (await uploadRegistry(app, org.adminToken, file)).body.id!);

    expect(await run()).toMatchObject({ status: 'COMPLETED', created: 4500, failed: 0 });
    expect(refresh).toHaveBeenCalledTimes(1);
    // The lookup columns have statistics (the refresh names columns: a misnamed one fails the import).
    const analyzed = await app.dataSource.query(
      `SELECT tablename, attname FROM pg_stats WHERE schemaname = current_schema() AND (tablename, attname) IN (('client', 'phone'), ('premises', 'number_key'), ('account', 'number_key'), ('occupancy', 'premises_id'))`,
    );
    expect(analyzed.map((r: { tablename: string }) => r.tablename).sort()).toEqual([
      'account',
      'client',
      'occupancy',
      'premises',
    ]);
    refresh.mockClear();
    expect(await run()).toMatchObject({ status: 'COMPLETED', unchanged: 4500, created: 0, updated: 0 });
    expect(refresh).not.toHaveBeenCalled();
  });
});
