import { Sql } from '../common/sql/sql';

/**
 * The condition of a client filter field whose table another module owns (premises, account number), on
 * the card row `card` (an alias): the module owning the table writes it, the caller of ClientSearch.list
 * passes it (RequestLoaders.clientFilters).
 */
export type ClientSearchExtension = (card: string) => Sql;
