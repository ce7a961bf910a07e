import { AccountImportWriter } from '../../accounts/account-import-writer';
import { BuildingsService } from '../../buildings/buildings.service';
import { ClientType } from '../../clients/client-enums';
import { ClientImportWriter } from '../../clients/client-import-writer';
import { CrmSpace } from '../../kernel/crm-space';
import { OccupancyService } from '../../occupancy/occupancy.service';
import { premisesNumberKey } from '../../premises/premises-number';
import { PremisesType } from '../../premises/premises-type';
import { PremisesImportWriter } from '../../premises/premises-import.writer';
import { ImportMode } from '../job/import-enums';
import type { RegistryClient, RegistryRow } from '../rows/registry-row';
import { registryRecordFactory } from '../write/record-factory';
import { BatchState, PlanOptions } from './batch-state';
import { RegistryBatchPlan } from './registry-batch-plan';

/**
 * The matching rules of the import, as a table: what the database holds, a row, the upload's options
 * → whether the row creates, updates, leaves unchanged or is refused, what it warns, and which card
 * it lands on. The plan runs in memory; the records and the card's rules are the modules' own
 * (their services' methods that read nothing, on instances built without dependencies).
 */
const bare = <T extends object>(type: abstract new (...args: never[]) => T): T =>
  Object.create(type.prototype as object) as T;
const make = registryRecordFactory(
  {
    buildings: bare(BuildingsService),
    premises: bare(PremisesImportWriter),
    accounts: bare(AccountImportWriter),
    clients: bare(ClientImportWriter),
    occupancy: bare(OccupancyService),
  },
  '00000000-0000-4000-8000-000000000001',
);

function emptyState(): BatchState {
  return {
    buildings: new Map(),
    premises: new Map(),
    accounts: new Map(),
    clients: new Map(),
    clientByExternalId: new Map(),
    clientByPhone: new Map(),
    clientsByAnyPhone: new Map(),
    occupancies: new Map(),
    occupants: new Map(),
    tagsOfClient: new Map(),
    accountHomes: new Map(),
    accountsPlacedByJob: new Set(),
  };
}

type ClientCells = Partial<RegistryClient>;
interface RowSpec {
  flat?: string;
  account?: string | null;
  client?: ClientCells | null;
  /** Cells absent from the file (undefined) unless given. */
  email?: string | null;
}

let rowNumber = 1;
function row(spec: RowSpec): RegistryRow {
  const client: RegistryClient | null =
    spec.client === null
      ? null
      : {
          type: ClientType.INDIVIDUAL,
          lastName: 'Королёв',
          firstName: 'Пётр',
          middleName: 'Семёнович',
          organizationName: undefined,
          phones: ['+79160000001'],
          email: undefined,
          birthDate: undefined,
          inn: undefined,
          snils: undefined,
          passportSeries: undefined,
          passportNumber: undefined,
          role: undefined,
          keepOnSync: undefined,
          externalId: null,
          tags: undefined,
          ...spec.client,
        };
  return {
    rowNumber: ++rowNumber,
    building: { city: 'Тула', street: 'ул. Мира', house: '1', block: undefined },
    premises: {
      type: PremisesType.FLAT,
      number: spec.flat ?? '1',
      entrance: undefined,
      floor: undefined,
      area: undefined,
    },
    account:
      spec.account === null
        ? null
        : { number: spec.account ?? '0179999', hiddenFromResident: undefined, paymentsEnabled: undefined },
    client,
  };
}

const OPTIONS: PlanOptions = {
  mode: ImportMode.MERGE,
  space: CrmSpace.OPERATION,
  sync: false,
  allowAccountMoves: false,
};

/** The database as a first import of these rows left it (their records are "existing" to the next plan). */
function seeded(rows: RowSpec[]): BatchState {
  const state = emptyState();
  const plan = new RegistryBatchPlan(state, make, OPTIONS);
  for (const spec of rows) plan.apply(row(spec), [], 'absent');
  expect(plan.outcomes.map((o) => o.result)).toEqual(rows.map(() => 'created'));
  plan.finish((card) => make.clientSnapshot(card));
  for (const tags of state.tagsOfClient.values()) for (const key of tags.keys()) tags.set(key, `tag-${key}`);
  return state;
}

const OWNER: RowSpec = { flat: '1', account: '0179999', client: { tags: ['Совет дома'] } };

interface Case {
  rule: string;
  existing: RowSpec[];
  row: RowSpec;
  options?: Partial<PlanOptions>;
  /** Tweaks of the loaded state (what the batch service would have read for these rows). */
  state?: (state: BatchState) => void;
  result: 'created' | 'updated' | 'unchanged' | 'failed';
  codes?: string[];
  /** Which card the row's client is: the seeded one, a new one, or none (a failed row). */
  card?: 'existing' | 'new';
}

const CASES: Case[] = [
  { rule: 'an empty database: everything is created', existing: [], row: OWNER, result: 'created', card: 'new' },
  { rule: 'the same row again: unchanged', existing: [OWNER], row: OWNER, result: 'unchanged', card: 'existing' },
  {
    rule: 'MERGE: an empty cell keeps the field',
    existing: [{ ...OWNER, client: { email: 'a@b.ru' } }],
    row: { ...OWNER, client: { email: null } },
    result: 'unchanged',
    card: 'existing',
  },
  {
    rule: 'REPLACE: an empty cell clears the field',
    existing: [{ ...OWNER, client: { email: 'a@b.ru' } }],
    row: { ...OWNER, client: { email: null } },
    options: { mode: ImportMode.REPLACE },
    result: 'updated',
    card: 'existing',
  },
  {
    rule: 'MERGE adds a listed tag',
    existing: [OWNER],
    row: { ...OWNER, client: { tags: ['VIP'] } },
    result: 'updated',
    card: 'existing',
  },
  {
    rule: 'REPLACE: an empty tags cell unlinks the card’s tags',
    existing: [OWNER],
    row: { ...OWNER, client: { tags: null } },
    options: { mode: ImportMode.REPLACE },
    result: 'updated',
    card: 'existing',
  },
  {
    rule: 'identity: the external id decides, whatever the name',
    existing: [{ ...OWNER, client: { externalId: { space: null, system: '1С', value: 'K-1' } } }],
    row: {
      ...OWNER,
      client: { lastName: 'Иванов', phones: ['+79160000009'], externalId: { space: null, system: '1С', value: 'K-1' } },
    },
    result: 'updated',
    codes: ['LOGIN_PHONE_KEPT'],
    card: 'existing',
  },
  {
    rule: 'identity: the same name with a phone of the card, on other premises',
    existing: [OWNER],
    row: { flat: '2', account: null, client: {} },
    result: 'created',
    card: 'existing',
  },
  {
    rule: 'identity: the same name among the premises’ residents, without a phone',
    existing: [OWNER],
    row: { ...OWNER, client: { phones: null } },
    result: 'unchanged',
    card: 'existing',
  },
  {
    rule: 'identity: a namesake elsewhere with another phone is another person',
    existing: [OWNER],
    row: { flat: '2', account: null, client: { phones: ['+79160000002'] } },
    result: 'created',
    card: 'new',
  },
  {
    rule: 'identity: another person’s login phone stays a contact phone of a new card',
    existing: [OWNER],
    row: { flat: '1', client: { lastName: 'Королёва', firstName: 'Анна' } },
    result: 'created',
    codes: ['PHONE_SHARED'],
    card: 'new',
  },
  {
    rule: 'ё/е: a name typed without ё is the same name, unchanged',
    existing: [OWNER],
    row: {
      ...OWNER,
      client: { lastName: 'Королев', firstName: 'Петр', middleName: 'Семенович', tags: ['Совет дома'] },
    },
    result: 'unchanged',
    card: 'existing',
  },
  {
    rule: 'ё/е: a name that differs in more than ё is an update',
    existing: [{ ...OWNER, client: { externalId: { space: null, system: '1С', value: 'K-1' } } }],
    row: { ...OWNER, client: { lastName: 'Королева', externalId: { space: null, system: '1С', value: 'K-1' } } },
    result: 'updated',
    card: 'existing',
  },
  {
    rule: 'login phone: a row without it keeps it and warns',
    existing: [OWNER],
    row: { ...OWNER, client: { phones: ['+79160000003'] } },
    result: 'updated',
    codes: ['LOGIN_PHONE_KEPT'],
    card: 'existing',
  },
  {
    rule: 'account on other premises: refused by default',
    existing: [OWNER],
    row: { flat: '2', account: '0179999', client: null },
    state: (s) => s.accountHomes.set([...s.premises.values()][0].id, 'Тула, ул. Мира, д. 1, кв. 1'),
    result: 'failed',
    codes: ['ACCOUNT_ON_OTHER_PREMISES'],
  },
  {
    rule: 'account on other premises: moved when the upload allows',
    existing: [OWNER],
    row: { flat: '2', account: '0179999', client: null },
    options: { allowAccountMoves: true },
    result: 'created',
    codes: ['ACCOUNT_MOVED'],
  },
  {
    rule: 'account on other premises this job put it on: refused even when moves are allowed',
    existing: [OWNER],
    row: { flat: '2', account: '0179999', client: null },
    options: { allowAccountMoves: true },
    state: (s) => s.accountsPlacedByJob.add([...s.accounts.values()][0].id),
    result: 'failed',
    codes: ['ACCOUNT_LISTED_TWICE'],
  },
  {
    rule: 'premises number equal only once normalized: loaded into it, with a warning',
    existing: [{ ...OWNER, flat: '1/2' }],
    row: { ...OWNER, flat: '12' },
    result: 'unchanged',
    codes: ['PREMISES_NUMBER_COLLISION'],
    card: 'existing',
  },
  {
    rule: 'premises number written with «кв.» and another case: the same number, no warning',
    existing: [{ ...OWNER, flat: '12А' }],
    row: { ...OWNER, flat: 'кв. 12а' },
    result: 'unchanged',
    card: 'existing',
  },
  {
    rule: 'an external id of another CRM space is not added (a warning)',
    existing: [OWNER],
    row: { ...OWNER, client: { externalId: { space: CrmSpace.CONSTRUCTION, system: '1С', value: 'X' } } },
    result: 'unchanged',
    codes: ['FOREIGN_SPACE'],
    card: 'existing',
  },
];

describe('RegistryBatchPlan: the matching rules', () => {
  it.each(CASES)('$rule', (c) => {
    const state = seeded(c.existing);
    c.state?.(state);
    const cardsBefore = new Set(state.clients.keys());
    const plan = new RegistryBatchPlan(state, make, { ...OPTIONS, ...c.options });
    plan.apply(row(c.row), [], 'absent');
    const [outcome] = plan.outcomes;
    expect({ result: outcome.result, codes: outcome.problems.map((p) => p.code) }).toEqual({
      result: c.result,
      codes: c.codes ?? [],
    });
    const writes = plan.finish((card) => make.clientSnapshot(card));
    const cardsAfter = [...state.clients.keys()];
    if (c.card) {
      const premises = [...state.premises.values()].find((p) => p.numberKey === premisesNumberKey(c.row.flat ?? '1'))!;
      const residents = [...(state.occupants.get(premises.id) ?? [])];
      if (c.card === 'existing')
        expect({
          residents: residents.some((id) => cardsBefore.has(id)),
          newCards: cardsAfter.length - cardsBefore.size,
        }).toEqual({ residents: true, newCards: 0 });
      else expect(residents.filter((id) => !cardsBefore.has(id))).toHaveLength(1);
    }
    if (c.result === 'unchanged')
      expect(
        [writes.premises, writes.accounts, writes.clients, writes.occupancies].every(
          (t) => !t.inserted.length && !t.updated.length,
        ) && !writes.audit.length,
      ).toBe(true);
    if (c.result === 'failed') expect(writes.audit).toEqual([]);
  });

  it('keeps ё of the stored name when the row is typed without it', () => {
    const state = seeded([OWNER]);
    const plan = new RegistryBatchPlan(state, make, { ...OPTIONS, mode: ImportMode.REPLACE });
    plan.apply(
      row({
        ...OWNER,
        client: { lastName: 'Королев', firstName: 'Петр', middleName: 'Семенович', tags: ['Совет дома'] },
      }),
      [],
      'absent',
    );
    const [card] = state.clients.values();
    expect([card.lastName, card.firstName, card.middleName]).toEqual(['Королёв', 'Пётр', 'Семёнович']);
  });

  it('refuses a second row of the same batch listing the account on other premises, naming the first row', () => {
    const plan = new RegistryBatchPlan(emptyState(), make, { ...OPTIONS, allowAccountMoves: true });
    plan.apply(row({ flat: '1', account: '0170001', client: null }), [], 'absent');
    plan.apply(row({ flat: '2', account: '0170001', client: null }), [], 'absent');
    const [first, second] = plan.outcomes;
    expect(second).toMatchObject({
      result: 'failed',
      problems: [{ code: 'ACCOUNT_LISTED_TWICE', column: 'accountNumber' }],
    });
    expect(second.problems[0].ru).toContain(`(строка ${first.rowNumber})`);
    expect(second.problems[0].ru).toContain('«Тула, ул. Мира, д. 1, кв. 1»');
  });

  it('sync: a loaded row lists its premises and client; a failed one keeps its premises’ residents', () => {
    const state = seeded([OWNER]);
    const plan = new RegistryBatchPlan(state, make, { ...OPTIONS, sync: true });
    plan.apply(row(OWNER), [], 'absent');
    plan.apply(
      row({
        flat: '1',
        account: '0179999',
        client: { lastName: null, firstName: null, middleName: null, phones: null },
      }),
      [],
      'absent',
    );
    const [premises] = state.premises.values();
    const [card] = state.clients.values();
    expect(plan.outcomes.map((o) => o.result)).toEqual(['unchanged', 'failed']);
    expect(plan.finish((c) => make.clientSnapshot(c)).listed).toEqual([
      { premisesId: premises.id, clientId: card.id, keepAll: false },
      { premisesId: premises.id, clientId: null, keepAll: true },
    ]);
  });
});
