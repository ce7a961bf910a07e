import { SelectQueryBuilder } from 'typeorm';
import { ClientEntity } from './client.entity';
import { ClientFilter } from './dto/client.input';

/** Adds the conditions of a filter field whose table another module owns (premises, account number). */
export type ClientSearchExtension = (query: SelectQueryBuilder<ClientEntity>, alias: string, filter: ClientFilter) => void;
