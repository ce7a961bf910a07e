import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../audit/actor';
import { ClientEntity } from './client.entity';
import { ClientFilter } from './dto/client.input';

/** Adds the conditions of a filter field whose table another module owns (premises, account number). */
export type ClientSearchExtension = (query: SelectQueryBuilder<ClientEntity>, alias: string, filter: ClientFilter) => void;

/** Moves what a module keeps about the source client to the target, inside the merge transaction. */
export type ClientMergeParticipant = (tx: EntityManager, actor: Actor, sourceId: string, targetId: string) => Promise<void>;
