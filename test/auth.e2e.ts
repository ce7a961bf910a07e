import { randomUUID } from 'node:crypto';
import { factories } from './support/factories';
import {
  addEmployee,
  createOrganization,
  errorCode,
  login,
  startTestApp,
  TestApp,
  TEST_PASSWORD,
} from './support/test-app';
import { EmployeeRole } from '../src/kernel/role';

const ME = `{ me { id email role blocked organization { id name } specializations { id } } }`;
const UPDATE = `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { id role blocked } } }`;
const CREATE = `mutation($input: CreateEmployeeInput!) { createEmployee(input: $input) { employee { id email role receivesRegistrationRequests } } }`;

describe('staff authentication and employees', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('signs an admin in and answers me with the organization', async () => {
    const org = await createOrganization(app);
    const result = await app.gql(ME, {}, org.adminToken);
    expect(result.errors).toBeUndefined();
    expect(result.data.me).toMatchObject({
      email: org.adminEmail,
      role: 'ADMIN',
      blocked: false,
      organization: { id: org.organizationId },
    });
  });

  it('accepts the e-mail in any case and with spaces around it', async () => {
    const org = await createOrganization(app);
    const token = await login(app, `  ${org.adminEmail.toUpperCase()} `);
    expect((await app.gql(ME, {}, token)).data.me.email).toBe(org.adminEmail);
  });

  it('rejects a wrong password with UNAUTHENTICATED and the same message as an unknown e-mail', async () => {
    const org = await createOrganization(app);
    const wrong = await app.gql(
      `mutation { login(input: { email: "${org.adminEmail}", password: "nope-nope-nope" }) { accessToken } }`,
    );
    const unknown = await app.gql(
      `mutation { login(input: { email: "nobody-${randomUUID()}@x.ru", password: "nope-nope-nope" }) { accessToken } }`,
    );
    expect(errorCode(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe('Неверный e-mail или пароль');
    expect(wrong.errors![0].extensions!.messageEn).toBe('Invalid e-mail or password');
    expect(unknown.errors![0].message).toBe(wrong.errors![0].message);
    expect(wrong.data).toBeNull();
  });

  it('answers UNAUTHENTICATED without a token and for a forged one', async () => {
    expect(errorCode(await app.gql(ME))).toBe('UNAUTHENTICATED');
    expect(errorCode(await app.gql(ME, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged'))).toBe('UNAUTHENTICATED');
  });

  it('refuses a blocked employee at login and ends their open sessions at once', async () => {
    const org = await createOrganization(app);
    const dispatcher = await addEmployee(app, org.organizationId, EmployeeRole.DISPATCHER);
    const dispatcherToken = await login(app, dispatcher.email);
    const blocked = await app.gql(UPDATE, { input: { id: dispatcher.id, blocked: true } }, org.adminToken);
    expect(blocked.data.updateEmployee.employee.blocked).toBe(true);

    const again = await app.gql(
      `mutation { login(input: { email: "${dispatcher.email}", password: "${TEST_PASSWORD}" }) { accessToken } }`,
    );
    expect(errorCode(again)).toBe('FORBIDDEN');
    expect(again.errors![0].message).toContain('заблокирована');
    expect(errorCode(await app.gql(ME, {}, dispatcherToken))).toBe('UNAUTHENTICATED');
  });

  it('logout revokes the token', async () => {
    const org = await createOrganization(app);
    const token = await login(app, org.adminEmail);
    expect((await app.gql(`mutation { logout { signedOut } }`, {}, token)).data.logout.signedOut).toBe(true);
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    expect((await app.gql(ME, {}, org.adminToken)).data.me.email).toBe(org.adminEmail);
  });

  it('lets only admins create and update employees', async () => {
    const org = await createOrganization(app);
    const manager = await addEmployee(app, org.organizationId, EmployeeRole.MANAGER);
    const managerToken = await login(app, manager.email);
    const input = {
      email: `new-${randomUUID()}@test.local`,
      password: 'long-enough-password',
      fullName: 'Новый Сотрудник',
      role: 'DISPATCHER',
    };

    const denied = await app.gql(CREATE, { input }, managerToken);
    expect(errorCode(denied)).toBe('FORBIDDEN');
    const count = await app.dataSource.query(`SELECT count(*)::int AS n FROM employee WHERE email = $1`, [input.email]);
    expect(count[0].n).toBe(0);

    const created = await app.gql(CREATE, { input: { ...input, receivesRegistrationRequests: true } }, org.adminToken);
    expect(created.data.createEmployee.employee).toMatchObject({
      email: input.email,
      role: 'DISPATCHER',
      receivesRegistrationRequests: true,
    });
    const token = await login(app, input.email, input.password);
    expect((await app.gql(ME, {}, token)).data.me.role).toBe('DISPATCHER');
  });

  it('reports every invalid field of createEmployee and a duplicate e-mail as CONFLICT', async () => {
    const org = await createOrganization(app);
    const invalid = await app.gql(
      CREATE,
      { input: { email: 'not-an-email', password: 'short', fullName: '', role: 'VIEWER' } },
      org.adminToken,
    );
    expect(errorCode(invalid)).toBe('BAD_USER_INPUT');
    const paths = invalid.errors![0].extensions!.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['input.email', 'input.fullName', 'input.password']);

    const duplicate = await app.gql(
      CREATE,
      { input: { email: org.adminEmail, password: 'long-enough-password', fullName: 'X', role: 'VIEWER' } },
      org.adminToken,
    );
    expect(errorCode(duplicate)).toBe('CONFLICT');
  });

  it('keeps at least one admin and does not let an admin demote themselves', async () => {
    const org = await createOrganization(app);
    const self = await app.gql(UPDATE, { input: { id: org.adminId, role: 'VIEWER' } }, org.adminToken);
    expect(errorCode(self)).toBe('CONFLICT');
    expect((await app.gql(ME, {}, org.adminToken)).data.me.role).toBe('ADMIN');
  });

  it('assigns specializations only from the organization’s own ticket categories', async () => {
    const org = await createOrganization(app);
    const other = await createOrganization(app);
    const own = { id: await factories(app, org).category('Электрика') };
    const foreign = { id: await factories(app, other).category('Сантехника') };
    const tech = await addEmployee(app, org.organizationId, EmployeeRole.TECHNICIAN);

    const rejected = await app.gql(
      UPDATE,
      { input: { id: tech.id, specializationIds: [own.id, foreign.id] } },
      org.adminToken,
    );
    expect(errorCode(rejected)).toBe('NOT_FOUND');
    expect(rejected.errors![0].extensions!.fields[0].messageEn).toContain(foreign.id);

    const ok = await app.gql(
      `mutation($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employee { specializations { id name } } } }`,
      { input: { id: tech.id, specializationIds: [own.id] } },
      org.adminToken,
    );
    expect(ok.data.updateEmployee.employee.specializations).toEqual([{ id: own.id, name: 'Электрика' }]);
  });
});
