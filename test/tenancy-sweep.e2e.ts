import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createOrganization, errorCode, startTestApp, TestApp, TestOrganization } from './support/test-app';
import { factories } from './support/factories';
import { EmployeeRole } from '../src/kernel/role';
import { ImportMode } from '../src/imports/job/import-enums';
import { ImportJobsService } from '../src/imports/job/import-jobs.service';
import { CrmSpace } from '../src/kernel/crm-space';
import { Fixture, fixtureRef } from './tenancy-sweep/probe';
import { probes } from './tenancy-sweep/probes';

async function snapshot(app: TestApp, organizationId: string): Promise<string> {
  const tables = [
    'building',
    'premises',
    'employee',
    'employee_specialization',
    'ticket_category',
    'client',
    'tag',
    'client_tag',
    'external_id',
    'account',
    'occupancy',
    'audit_entry',
    'registration_request',
    'registration_event',
    'ticket',
    'ticket_caller',
    'ticket_counter',
    'import_job',
  ];
  // Ordered by the row itself (jsonb compares deterministically); "ORDER BY 1::text" had sorted by a
  // constant, leaving the order to the plan, which made the before/after comparison flaky.
  const rows = await Promise.all(
    tables.map((table) =>
      app.dataSource.query(
        `SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t WHERE organization_id = $1 ORDER BY 1`,
        [organizationId],
      ),
    ),
  );
  return JSON.stringify(rows);
}

describe('tenancy sweep over every query, mutation and subscription of the schema', () => {
  let app: TestApp;
  let a: TestOrganization;
  let b: TestOrganization;
  let fixture: Fixture;

  beforeAll(async () => {
    app = await startTestApp();
    a = await createOrganization(app);
    b = await createOrganization(app);
    const make = factories(app, a);
    const buildingId = await make.building({
      city: 'Москва',
      street: 'Тенантная',
      house: '1',
      referenceSheet: '<p>A</p>',
    });
    const premisesId = await make.premises(buildingId, '1');
    const employee = await make.employee(EmployeeRole.DISPATCHER);
    const categoryId = await make.category('Лифт');
    const clientId = await make.client({ lastName: 'Свипов', firstName: 'Пётр', phone: '+7 916 111-22-33' });
    const externalIdId = await make.externalId(clientId, { system: '1С', value: 'A-1' });
    const tagId = await make.tag(clientId, 'Свип');
    await make.occupancy(clientId, premisesId, 'OWNER');
    const accountId = await make.account(premisesId, 'A-0001', { ownerClientId: clientId });
    // A resident's request comes through the resident app (a signed-in phone, an SMS gateway): stored as it would be.
    const [registration] = await app.dataSource.query(
      `INSERT INTO registration_request (organization_id, phone, full_name, client_type, street, house, premises_number, role, dedup_key, building_id)
       VALUES ($1, '+79160001122', 'Заявкин Иван', 'INDIVIDUAL', 'Тенантная', '1', '7', 'OWNER', 'address:x|7', $2) RETURNING id`,
      [a.organizationId, buildingId],
    );
    const ticket = await make.ticket({
      buildingId,
      premisesId,
      categoryId,
      description: 'Лифт',
      contactPhone: '+7 916 222-33-44',
      contactName: 'Звонящий',
    });
    const importJob = await app.server.app.get(ImportJobsService).create(
      {
        realm: 'staff',
        employeeId: a.adminId,
        organizationId: a.organizationId,
        role: EmployeeRole.ADMIN,
        sessionId: a.adminId,
        crmSpace: CrmSpace.OPERATION,
        specializationIds: [],
        viewsPersonalData: true,
      },
      { mode: ImportMode.MERGE, sync: false, fileName: 'Реестр.xlsx', fileSize: 1 },
    );
    fixture = {
      importJobId: importJob.id,
      registrationRequestId: registration.id,
      ticketId: ticket.id,
      callerId: await make.callerId('+79162223344'),
      buildingId,
      premisesId,
      employeeId: employee.id,
      categoryId,
      clientId,
      tagId,
      externalIdId,
      accountId,
    };
    fixtureRef.current = fixture;
  });
  afterAll(() => app.close());

  it('has a probe for every operation the schema exposes', () => {
    const schema = app.server.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `Mutation.${f}`),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).map((f) => `Subscription.${f}`),
    ].sort();
    expect(Object.keys(probes(app)).sort()).toEqual(operations);
  });

  it("answers NOT_FOUND for another organization's ids, hides its rows from lists, and changes none of them", async () => {
    const before = await snapshot(app, a.organizationId);
    const aIds = new Set(Object.values(fixture));
    for (const [operation, probe] of Object.entries(probes(app))) {
      if (probe.kind === 'foreign-id') {
        const result = await probe.run(b.adminToken, fixture);
        expect({ operation, code: errorCode(result) }).toEqual({ operation, code: 'NOT_FOUND' });
      } else if (probe.kind === 'list') {
        const result = await probe.run(b.adminToken);
        expect({ operation, errors: result.errors }).toEqual({ operation, errors: undefined });
        expect({ operation, leaked: probe.ids(result).filter((id) => aIds.has(id)) }).toEqual({
          operation,
          leaked: [],
        });
      } else {
        await probe.run(b.adminToken, b);
      }
    }
    expect(await snapshot(app, a.organizationId)).toBe(before);
  });
});
