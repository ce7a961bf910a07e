import { Check, Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ClientStatus, ClientType, Gender } from './client-enums';

/**
 * A client card (клиент): a resident, owner or legal entity of one organization.
 * `phone` is the app's login, unique in the organization; `extraPhones` are contact numbers only — one
 * may be another card's login (a phone two people share), see client-identity.ts.
 */
@Entity('client')
@Index('uq_client_phone', ['organizationId', 'phone'], { unique: true, where: 'phone IS NOT NULL' })
// (organization_id, surname_key, id) INCLUDE (phone_digits), written by hand in a migration: short phone
// parts are matched on the index tuples while walking it in list order (TypeORM cannot express INCLUDE).
@Index('ix_client_surname', { synchronize: false })
@Index('ix_client_identity', ['organizationId', 'nameKey'])
// The resident app signs in across organizations: its cards are found by the login phone alone.
@Index('ix_client_login_phone', ['phone'], { where: 'phone IS NOT NULL' })
// GIN trigram index on phone_digits, written by hand in the migration: TypeORM cannot express operator classes.
@Index('ix_client_phone_digits', { synchronize: false })
// GIN on phone_quadgrams(phone_digits), by hand (an expression index): parts of four digits and more.
@Index('ix_client_phone_quadgrams', { synchronize: false })
// (organization_id, (phone_digits COLLATE "C")), written by hand: the beginning of a number typed with
// the trunk 8 ("8 916 …") is a range of it, in phone order.
@Index('ix_client_phone_prefix', { synchronize: false })
// GIN on extra_phones, by hand (operator class): a card found by a contact phone (the phone resolver, the identity rule).
@Index('ix_client_extra_phones', { synchronize: false })
@Index('ix_client_changes', ['organizationId', 'updatedAt', 'id'])
@Check('ck_client_status', `status IN ('ACTIVE', 'BLOCKED')`)
@Check('ck_client_type', `type IN ('INDIVIDUAL', 'SOLE_PROPRIETOR', 'LEGAL_ENTITY', 'FOREIGN_BRANCH')`)
@Check('ck_client_gender', `gender IS NULL OR gender IN ('MALE', 'FEMALE')`)
export class ClientEntity {
  @PrimaryColumn({ type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'uuid' })
  @Generated('uuid')
  id: string;

  @Column({ type: 'text', default: ClientStatus.ACTIVE })
  status: ClientStatus;

  @Column({ type: 'text', default: ClientType.INDIVIDUAL })
  type: ClientType;

  @Column({ type: 'boolean', default: false })
  tester: boolean;

  @Column({ type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text', nullable: true })
  firstName: string | null;

  @Column({ type: 'text', nullable: true })
  middleName: string | null;

  /** Name of a legal entity or a foreign branch. */
  @Column({ type: 'text', nullable: true })
  organizationName: string | null;

  @Column({ type: 'text', nullable: true })
  gender: Gender | null;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  /** E.164, e.g. +79161234567. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  extraPhones: string[];

  /** Digits of every phone, space separated: what partial-phone search matches (trigram index). */
  @Column({ type: 'text', default: '' })
  phoneDigits: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'text', nullable: true })
  passportSeries: string | null;

  @Column({ type: 'text', nullable: true })
  passportNumber: string | null;

  @Column({ type: 'text', nullable: true })
  passportIssuedBy: string | null;

  @Column({ type: 'date', nullable: true })
  passportIssuedOn: string | null;

  @Column({ type: 'text', nullable: true })
  passportComment: string | null;

  @Column({ type: 'text', nullable: true })
  registrationAddress: string | null;

  @Column({ type: 'text', nullable: true })
  postalIndex: string | null;

  @Column({ type: 'text', nullable: true })
  addressComment: string | null;

  @Column({ type: 'text', nullable: true })
  inn: string | null;

  /** 11 digits. */
  @Column({ type: 'text', nullable: true })
  snils: string | null;

  @Column({ type: 'text', nullable: true })
  loyaltyCardNumber: string | null;

  /** Lower-cased surname (or organization name), ё folded; byte order so that a prefix LIKE uses the index. */
  @Column({ type: 'text', collation: 'C', default: '' })
  surnameKey: string;

  /** Normalized full name: with the phone, the identity of a person across CRM spaces. */
  @Column({ type: 'text', default: '' })
  nameKey: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
