import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Hits of one key (e.g. "sign-in-code:phone:+7916…") in one fixed window. Kept in PostgreSQL so that
 * every api process counts against the same limit, with or without Redis.
 */
@Entity('rate_limit_counter')
export class RateLimitCounterEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @PrimaryColumn({ type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'int' })
  hits: number;
}
