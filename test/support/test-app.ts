import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { loadConfig, AppConfig } from '../../src/config/config';
import { appLogger } from '../../src/common/logging/json-logger';
import { startServer, RunningServer } from '../../src/server';
import { sqlStatementCounter } from '../../src/database/data-source-options';
import { OrganizationsService } from '../../src/organizations/organizations.service';
import { EmployeesService } from '../../src/organizations/employees.service';
import { EmployeeRole } from '../../src/kernel/role';
import { CrmSpace } from '../../src/kernel/crm-space';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-the-config-check';

export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: process.env.TEST_DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    // Each app gets its own queues, so parallel test files never pick up each other's jobs.
    QUEUE_PREFIX: `{domovoy-test-${randomUUID().slice(0, 8)}}`,
    JWT_SECRET: TEST_JWT_SECRET,
    PORT: '0',
    LOG_LEVEL: 'error',
    // The first-start bootstrap must not fire in tests: the shared test database is never empty for long.
    BOOTSTRAP_ADMIN_EMAIL: `bootstrap-${randomUUID()}@test.local`,
    BOOTSTRAP_ADMIN_PASSWORD: 'bootstrap-password',
    // Every test file signs in from the same loopback address into one database: the per-address
    // login limit would add up the whole run's failed logins. test/login-throttle.e2e.ts sets its own.
    LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
    ...overrides,
  });
}

export interface GraphqlResult<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  server: RunningServer;
  url: string;
  dataSource: DataSource;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResult<T>>;
  /** Runs one GraphQL request and returns how many SQL statements it cost. */
  countStatements(run: () => Promise<unknown>): Promise<number>;
  /**
   * Sends requests with the token until its session is served from memory (StaffAccessCache
   * listens from the first lookup on), so the statements a test counts do not depend on timing.
   */
  warmSession(token: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestApp(overrides: Record<string, string | undefined> = {}): Promise<TestApp> {
  appLogger.setLevel('error');
  const config = testConfig(overrides);
  const server = await startServer(config, config.databaseUrl!);
  const url = server.url!;
  const dataSource = server.app.get<DataSource>(getDataSourceToken());
  const app: TestApp = {
    server,
    url,
    dataSource,
    async gql(query, variables, token) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphqlResult;
    },
    async countStatements(run) {
      const before = sqlStatementCounter.total;
      await run();
      return sqlStatementCounter.total - before;
    },
    async warmSession(token) {
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await app.countStatements(() => app.gql('{ __typename }', {}, token))) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('the session was never served from memory: is the staff_access_changed channel listened on?');
    },
    close: () => server.close(),
  };
  return app;
}

export interface TestOrganization {
  organizationId: string;
  adminEmail: string;
  adminId: string;
  adminToken: string;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** A new organization with one admin, signed in over HTTP. Unique data every call. */
export async function createOrganization(
  app: TestApp,
  name = `Org ${randomUUID().slice(0, 8)}`,
): Promise<TestOrganization> {
  const organization = await app.server.app.get(OrganizationsService).create(name);
  const employee = await addEmployee(app, organization.id, EmployeeRole.ADMIN);
  return {
    organizationId: organization.id,
    adminEmail: employee.email,
    adminId: employee.id,
    adminToken: await login(app, employee.email),
  };
}

export interface NewEmployee {
  password?: string;
  crmSpace?: CrmSpace;
  /** As people type it; stored in E.164. */
  phone?: string;
  specializationIds?: string[];
  receivesRegistrationRequests?: boolean;
}

/** An employee of the role (unique e-mail), made by EmployeesService as createEmployee makes one. */
export async function addEmployee(
  app: TestApp,
  organizationId: string,
  role: EmployeeRole,
  { password = TEST_PASSWORD, ...rest }: NewEmployee = {},
) {
  return app.server.app.get(EmployeesService).create(organizationId, {
    email: `${role.toLowerCase()}-${randomUUID()}@test.local`,
    password,
    fullName: `Тестовый ${role}`,
    role,
    ...rest,
  });
}

export async function login(app: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const result = await app.gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
    input: { email, password },
  });
  if (!result.data) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
  return result.data.login.accessToken;
}

export function errorCode(result: GraphqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
