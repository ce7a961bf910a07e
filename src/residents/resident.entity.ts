import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person who signed in to the resident app. Known by phone only and shared by all organizations:
 * which premises they see comes from the client cards with that phone in each organization.
 */
@Entity('resident')
export class ResidentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  phone: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Updated at most every few minutes, so a busy app does not turn every request into a write. */
  @Column({ type: 'timestamptz' })
  lastSeenAt: Date;
}
