import { Injectable } from '@nestjs/common';
import { Sql } from '../common/sql/sql';
import { JsonPart } from '../database/json-reads';
import { ResidentPresenceService } from '../residents/resident-presence.service';

export interface AppStatus {
  usesApp: boolean;
  lastSeenAt: Date | null;
}

/**
 * Whether clients use the resident app and when they were last seen in it, for many at once. The app
 * signs a resident in by the phone of their card, so a card's main phone that has signed in uses it.
 */
@Injectable()
export class ResidentAppStatusService {
  constructor(private readonly presence: ResidentPresenceService) {}

  /** The app status of the phone `phone` yields (one status), for a statement that reads it with other things. */
  statusPart(phone: Sql): JsonPart<AppStatus> {
    const residents = this.presence.residentPart(phone);
    return {
      sql: residents.sql,
      parse: (text) => {
        const [resident] = residents.parse(text);
        return [{ usesApp: resident !== undefined, lastSeenAt: resident?.lastSeenAt ?? null }];
      },
    };
  }

  async appStatusByPhones(phones: readonly string[]): Promise<Map<string, AppStatus>> {
    const seen = await this.presence.lastSeenByPhones(phones);
    return new Map(phones.map((phone) => [phone, { usesApp: seen.has(phone), lastSeenAt: seen.get(phone) ?? null }]));
  }
}
