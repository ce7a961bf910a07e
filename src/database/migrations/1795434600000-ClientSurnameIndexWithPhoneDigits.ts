import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Short phone parts (3-4 digits) are matched while walking the surname index in list order; with
 * the digits inside the index the walk reads no table rows until a page is full.
 */
export class ClientSurnameIndexWithPhoneDigits1795434600000 implements MigrationInterface {
  name = 'ClientSurnameIndexWithPhoneDigits1795434600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_client_surname"');
    await queryRunner.query('CREATE INDEX "ix_client_surname" ON "client" ("organization_id", "surname_key", "id") INCLUDE ("phone_digits")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_client_surname"');
    await queryRunner.query('CREATE INDEX "ix_client_surname" ON "client" ("organization_id", "surname_key", "id")');
  }
}
