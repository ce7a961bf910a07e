import { Injectable } from '@nestjs/common';
import { sql, Sql } from '../common/sql/sql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JsonPart, jsonRowsPart } from '../database/json-reads';
import { preparedQuery } from '../database/prepared';
import { ResidentEntity } from './resident.entity';

/**
 * When each phone's owner last used the resident app (absent: never signed in). Apart from
 * ResidentsService so that readers (the dispatcher's card) need not depend on token issuing.
 */
@Injectable()
export class ResidentPresenceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The resident signed in with the phone `phone` yields (none: never), for a statement that reads it with other things. */
  residentPart(phone: Sql): JsonPart<ResidentEntity> {
    return jsonRowsPart(this.dataSource.getMetadata(ResidentEntity), 'r', sql`r.phone = ${phone}`);
  }

  async lastSeenByPhones(phones: readonly string[]): Promise<Map<string, Date>> {
    if (phones.length === 0) return new Map();
    const rows = await preparedQuery<{ phone: string; last_seen_at: Date }>(
      this.dataSource,
      sql`SELECT phone, last_seen_at FROM resident WHERE phone = ANY(${phones}::text[])`,
    );
    return new Map(rows.map((r) => [r.phone, r.last_seen_at]));
  }
}
