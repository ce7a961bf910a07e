import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

/** The organization's tag vocabulary; `nameKey` makes "VIP", " vip " and "Vip" one tag. */
@Entity('tag')
@Index('uq_tag_name', ['organizationId', 'nameKey'], { unique: true })
export class TagEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', collation: 'C' })
  nameKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
