import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The one live sign-in code of a phone; a new request replaces it. Only its HMAC is kept. */
@Entity('resident_sign_in_code')
export class SignInCodeEntity {
  @PrimaryColumn({ type: 'text' })
  phone: string;

  @Column({ type: 'text' })
  codeHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'int' })
  attemptsLeft: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
