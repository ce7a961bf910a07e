import type { ClientEntity } from '../../clients/client.entity';
import { ImportMode } from '../job/import-enums';
import type { Cell, RegistryRow, RowProblem } from '../rows/registry-row';
import { BatchState, BatchWrites, PlanOptions, RecordFactory } from './batch-state';

/** Whether the row's «Тип клиента» cell is filled, empty, or its column absent from the file. */
export type ClientTypeCell = 'filled' | 'empty' | 'absent';

/** One row being planned: what it says, what it found, and the state changes it makes if every part is valid. */
export interface RowDraft {
  row: RegistryRow;
  /** Warnings (the parser's and the plan's): the row still loads. */
  problems: RowProblem[];
  /** Problems that keep the whole row out. */
  stops: RowProblem[];
  created: boolean;
  updated: boolean;
  commits: (() => void)[];
}

/** The client a row describes, as matched: the card it changes (a copy) or creates, and the card as loaded. */
export interface ClientDraft {
  card: ClientEntity;
  existing: ClientEntity | undefined;
}

/**
 * What every step of a batch plan shares: the state the rows change, how new records are made, the
 * upload's options, and the batch's writes with what is needed to finish them (which records are new,
 * and how the existing ones looked before the batch touched them).
 */
export class PlanContext {
  readonly newIds = new Set<string>();
  /** State of each existing record before the batch touched it, for audit diffs and to know what to update. */
  readonly originals = new Map<string, Record<string, unknown>>();
  readonly writes: BatchWrites = {
    buildings: [],
    premises: { inserted: [], updated: [] },
    accounts: { inserted: [], updated: [] },
    clients: { inserted: [], updated: [] },
    occupancies: { inserted: [], updated: [] },
    externalIds: [],
    tagLinks: [],
    tagUnlinks: [],
    listed: [],
    audit: [],
  };

  constructor(
    readonly state: BatchState,
    readonly make: RecordFactory,
    readonly options: PlanOptions,
  ) {}

  /** A cell's value when it should be written: absent columns never, empty cells only in REPLACE (as `empty`). */
  take<T>(value: Cell<T>, empty: T | null): { set: true; value: T | null } | { set: false } {
    if (value === undefined) return { set: false };
    if (value === null) return this.options.mode === ImportMode.REPLACE ? { set: true, value: empty } : { set: false };
    return { set: true, value };
  }

  /** Records a planned record in the state, and notes it as new or (changed) as it was before. */
  keep<T extends { id: string }>(
    kind: 'premises' | 'accounts' | 'clients' | 'occupancies',
    key: string,
    next: T,
    existing: T | undefined,
    changed: boolean,
  ): void {
    const map = this.state[kind] as unknown as Map<string, T>;
    map.set(key, next);
    if (!existing) this.newIds.add(next.id);
    else if (changed && !this.newIds.has(next.id) && !this.originals.has(next.id))
      this.originals.set(next.id, { ...existing } as Record<string, unknown>);
  }
}
