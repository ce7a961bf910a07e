import type { AccountEntity } from '../../accounts/account.entity';
import { accountNumberKey } from '../../accounts/account-number';
import { addressKey } from '../../buildings/address';
import type { BuildingEntity } from '../../buildings/building.entity';
import type { ClientEntity } from '../../clients/client.entity';
import { premisesName } from '../../premises/premises-name';
import { premisesNumbersCollide } from '../../premises/premises-number';
import type { PremisesEntity } from '../../premises/premises.entity';
import type { RegistryRow, RowProblem } from '../rows/registry-row';
import { BatchState, BatchWrites, PlanOptions, premisesKeyOf, RecordFactory, RowOutcome } from './batch-state';
import { finishWrites } from './batch-writes';
import { ClientPlan } from './client-plan';
import { ClientTypeCell, PlanContext, RowDraft } from './plan-context';
import { clone, same } from './record-copies';
import {
  accountListedTwice,
  accountMoved,
  accountOnOtherPremises,
  fieldProblems,
  premisesNumberCollision,
} from './row-problems';

export type { ClientTypeCell } from './plan-context';

/**
 * Applies a batch of parsed rows, in order, to what the database holds — in memory. Each row is
 * planned on copies and committed to the state only when every part of it is valid, so a bad row
 * changes nothing; later rows see what earlier ones did, exactly as if each row were its own
 * transaction. The result is the batch's writes (final states only, one statement per table) and
 * each row's outcome. The steps of a row: building, premises, account, then the client (identity,
 * fields, phones, external id, tags, attachment).
 */
export class RegistryBatchPlan {
  readonly outcomes: RowOutcome[] = [];
  /** account number key → the row of this batch that last listed it, and where. */
  private readonly accountRows = new Map<
    string,
    { rowNumber: number; building: BuildingEntity; premises: PremisesEntity }
  >();

  private readonly ctx: PlanContext;
  private readonly clients: ClientPlan;

  constructor(state: BatchState, make: RecordFactory, options: PlanOptions) {
    this.ctx = new PlanContext(state, make, options);
    this.clients = new ClientPlan(this.ctx);
  }

  /** `problems`: what the parser found in the row (warnings; a row with a stopping one goes to `fail`). */
  apply(row: RegistryRow, problems: RowProblem[], clientTypeCell: ClientTypeCell): void {
    const draft: RowDraft = { row, problems, stops: [], created: false, updated: false, commits: [] };
    const building = this.planBuilding(draft);
    const { premises, existing } = this.planPremises(draft, building);
    if (row.account) this.planAccount(draft, row.account, building, premises);
    const clientId = row.client ? this.clients.plan(draft, row.client, premises, clientTypeCell) : null;

    if (draft.stops.length) {
      // A resident whose row failed is still in the file: sync must not take their premises' residents away.
      if (this.ctx.options.sync && existing)
        this.ctx.writes.listed.push({ premisesId: existing.id, clientId: null, keepAll: true });
      this.outcomes.push({ rowNumber: row.rowNumber, result: 'failed', problems: [...problems, ...draft.stops] });
      return;
    }
    for (const commit of draft.commits) commit();
    if (this.ctx.options.sync) this.ctx.writes.listed.push({ premisesId: premises.id, clientId, keepAll: false });
    this.outcomes.push({
      rowNumber: row.rowNumber,
      result: draft.created ? 'created' : draft.updated ? 'updated' : 'unchanged',
      problems,
    });
  }

  /**
   * A row the parser refused outright. `premisesKey` locates its premises when its address cells could
   * be read: sync then leaves that premises' residents alone, as for any failed row.
   */
  fail(rowNumber: number, problems: RowProblem[], premisesKey: string | null): void {
    const premises = premisesKey ? this.ctx.state.premises.get(premisesKey) : undefined;
    if (this.ctx.options.sync && premises)
      this.ctx.writes.listed.push({ premisesId: premises.id, clientId: null, keepAll: true });
    this.outcomes.push({ rowNumber, result: 'failed', problems });
  }

  /** The batch's writes: final states of new records, and of existing ones that differ from what was loaded. */
  finish(clientSnapshot: (card: ClientEntity) => Record<string, unknown>): BatchWrites {
    return finishWrites(
      this.ctx.state,
      this.ctx.writes,
      { newIds: this.ctx.newIds, originals: this.ctx.originals },
      clientSnapshot,
    );
  }

  /** Building: matched by its normalized address; the file only ever creates one. */
  private planBuilding(draft: RowDraft): BuildingEntity {
    const key = addressKey({ ...draft.row.building, block: draft.row.building.block ?? null });
    const existing = this.ctx.state.buildings.get(key);
    if (existing) return existing;
    const fresh = this.ctx.make.building(draft.row.building);
    draft.created = true;
    draft.commits.push(() => {
      this.ctx.state.buildings.set(key, fresh);
      this.ctx.newIds.add(fresh.id);
      this.ctx.writes.buildings.push(fresh);
    });
    return fresh;
  }

  /** Premises: (building, type, number); a number equal to another's only once normalized says so. */
  private planPremises(
    draft: RowDraft,
    building: BuildingEntity,
  ): { premises: PremisesEntity; existing: PremisesEntity | undefined } {
    const cells = draft.row.premises;
    const key = premisesKeyOf(building.id, cells.type, cells.number);
    const existing = this.ctx.state.premises.get(key);
    // Records are copied only when the row changes them: a re-import changes none.
    let premises = existing ?? this.ctx.make.premises(building.id, cells);
    let changed = false;
    for (const field of ['entrance', 'floor', 'area'] as const) {
      const next = this.ctx.take<number | string>(cells[field], null);
      if (next.set && !same(premises[field], next.value)) {
        if (premises === existing) premises = clone(premises);
        (premises as unknown as Record<string, unknown>)[field] = next.value;
        changed = true;
      }
    }
    if (changed || !existing) {
      draft.stops.push(
        ...fieldProblems(this.ctx.make.premisesMisfits(building, premises), 'DOES_NOT_FIT', (path) =>
          path.endsWith('area') ? 'area' : path.endsWith('floor') ? 'floor' : 'entrance',
        ),
      );
    }
    if (existing && premisesNumbersCollide(existing.number, cells.number))
      draft.problems.push(premisesNumberCollision(cells.number, premisesName(building, existing)));
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    const planned = premises;
    draft.commits.push(() => this.ctx.keep('premises', key, planned, existing, changed));
    return { premises, existing };
  }

  /** Account: by number, organization-wide; one met under other premises moves only when the upload allows it. */
  private planAccount(
    draft: RowDraft,
    cells: NonNullable<RegistryRow['account']>,
    building: BuildingEntity,
    premises: PremisesEntity,
  ): void {
    const key = accountNumberKey(cells.number);
    const existing = this.ctx.state.accounts.get(key);
    let account = existing ?? this.ctx.make.account(premises.id, cells.number);
    let changed = false;
    const change = (): AccountEntity => {
      if (account === existing) account = clone(account);
      changed = true;
      return account;
    };
    if (account.premisesId !== premises.id) {
      const conflict = this.accountConflict(key, account);
      (conflict.stops ? draft.stops : draft.problems).push(conflict.problem);
      change().premisesId = premises.id;
    }
    const hidden = this.ctx.take(cells.hiddenFromResident, false);
    if (hidden.set && account.hiddenFromResident !== hidden.value) change().hiddenFromResident = hidden.value ?? false;
    const payments = this.ctx.take(cells.paymentsEnabled, true);
    if (payments.set && account.paymentsEnabled !== payments.value) change().paymentsEnabled = payments.value ?? true;
    if (!existing) draft.created = true;
    else if (changed) draft.updated = true;
    draft.commits.push(() => {
      this.ctx.keep('accounts', key, account, existing, changed);
      this.accountRows.set(key, { rowNumber: draft.row.rowNumber, building, premises });
    });
  }

  /**
   * An account the row lists under other premises than its own. Listed twice in one file: refused
   * whatever the upload allows (the file contradicts itself). Otherwise refused unless account moves
   * are allowed, then moved with a warning; either way the row names where the account is.
   */
  private accountConflict(accountKey: string, account: AccountEntity): { stops: boolean; problem: RowProblem } {
    const earlier = this.accountRows.get(accountKey);
    const home = earlier
      ? premisesName(earlier.building, earlier.premises)
      : (this.ctx.state.accountHomes.get(account.premisesId) ?? '?');
    if (earlier || this.ctx.state.accountsPlacedByJob.has(account.id))
      return { stops: true, problem: accountListedTwice(account.number, home, earlier?.rowNumber ?? null) };
    if (!this.ctx.options.allowAccountMoves)
      return { stops: true, problem: accountOnOtherPremises(account.number, home) };
    return { stops: false, problem: accountMoved(account.number, home) };
  }
}
