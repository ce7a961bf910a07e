import { ImportJobEntity } from '../src/imports/job/import-job.entity';
import { lockForBatch } from '../src/imports/job/import-run';
import { finishedJob, generatedRegistry, registryXlsx, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TestApp } from './support/test-app';

describe("import: a batch's commit does not wait for the disk", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('turns synchronous_commit off for the batch transaction only', async () => {
    const org = await createOrganization(app);
    const file = await registryXlsx(generatedRegistry(3, 700_000));
    const { id } = await finishedJob(app, org.adminToken, (await uploadRegistry(app, org.adminToken, file)).body.id!);
    const job = await app.dataSource.getRepository(ImportJobEntity).findOneByOrFail({ id });
    const runner = app.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const setting = async () => (await runner.query('SHOW synchronous_commit'))[0].synchronous_commit;
      expect(await setting()).toBe('on');
      await runner.startTransaction();
      await lockForBatch(runner.manager, job);
      expect(await setting()).toBe('off');
      await runner.commitTransaction();
      // The same connection goes back to the pool with the server's setting.
      expect(await setting()).toBe('on');
    } finally {
      await runner.release();
    }
  });
});
