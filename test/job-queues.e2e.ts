import { EmployeeRole } from '../src/kernel/role';
import { generatedRegistry, finishedJob, registryXlsx, uploadRegistry } from './support/registry-files';
import {
  addEmployee,
  createOrganization,
  errorCode,
  login,
  startTestApp,
  TestApp,
  TestOrganization,
} from './support/test-app';

const QUEUES = '{ jobQueues { name waiting delayed active completed failed } }';

// Bull on Redis where REDIS_URL is set, the in-process queue otherwise: the same answer shape either way.
describe('jobQueues (read-only queue counts for admins)', () => {
  let app: TestApp;
  let org: TestOrganization;
  beforeAll(async () => {
    app = await startTestApp();
    org = await createOrganization(app);
  });
  afterAll(() => app.close());

  it('counts a finished import as completed on the imports queue', async () => {
    const upload = await uploadRegistry(app, org.adminToken, await registryXlsx(generatedRegistry(5, 700_000)));
    expect((await finishedJob(app, org.adminToken, upload.body.id!)).status).toBe('COMPLETED');
    // The job's row says COMPLETED a moment before Bull moves the job to its completed set.
    const importsQueue = async () => {
      const result = await app.gql(QUEUES, {}, org.adminToken);
      expect(result.errors).toBeUndefined();
      const queues = result.data.jobQueues as { name: string; active: number; completed: number }[];
      expect(queues.map((q) => q.name)).toEqual(['housekeeping', 'imports', 'notifications']);
      return queues.find((q) => q.name === 'imports')!;
    };
    let imports = await importsQueue();
    for (let tries = 0; tries < 50 && imports.completed < 1; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      imports = await importsQueue();
    }
    expect(imports.completed).toBeGreaterThanOrEqual(1);
    expect(imports.active).toBe(0);
  });

  it('is refused to every role but ADMIN, and to anonymous callers', async () => {
    expect(errorCode(await app.gql(QUEUES))).toBe('UNAUTHENTICATED');
    for (const role of [EmployeeRole.MANAGER, EmployeeRole.VIEWER]) {
      const employee = await addEmployee(app, org.organizationId, role);
      expect(errorCode(await app.gql(QUEUES, {}, await login(app, employee.email)))).toBe('FORBIDDEN');
    }
  });
});
