/*
 * The application in the benchmark's own process (bench/clients.ts, bench/contact-card.ts): started
 * as `ROLE=all` on the scratch database, HTTP on 127.0.0.1, with one employee signed in.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config/config';
import { EmployeesService } from '../src/organizations/employees.service';
import { EmployeeRole } from '../src/kernel/role';
import { RunningServer, startServer } from '../src/server';
import { graphqlClient } from './graphql-over-http';
import { timed } from './support';

const PASSWORD = 'bench-password-123';

export interface SignedInApp {
  server: RunningServer;
  employeeId: string;
  token: string;
  gql: ReturnType<typeof graphqlClient>;
}

/** Starts the application on `url` and signs in a new employee of `organizationId` (`role`, `fullName`). */
export async function startSignedIn(
  url: string,
  organizationId: string,
  role: EmployeeRole,
  fullName: string,
): Promise<SignedInApp> {
  const config = loadConfig({
    DATABASE_URL: url,
    ROLE: 'all',
    PORT: '0',
    JWT_SECRET: randomBytes(20).toString('hex'),
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: `{domovoy-bench-${randomUUID().slice(0, 8)}}`,
  });
  const server = (await timed('startServer', () => startServer(config, url))).result;
  try {
    const gql = graphqlClient(server.url!);
    const employee = await server.app.get(EmployeesService).create(organizationId, {
      email: `bench-${role.toLowerCase()}-${randomUUID()}@bench.local`,
      password: PASSWORD,
      fullName,
      role,
    });
    const token: string = (
      await gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
        input: { email: employee.email, password: PASSWORD },
      })
    ).data.login.accessToken;
    return { server, employeeId: employee.id, token, gql };
  } catch (error) {
    await server.close();
    throw error;
  }
}
