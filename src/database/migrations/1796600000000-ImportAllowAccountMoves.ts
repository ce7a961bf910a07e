import { MigrationInterface, QueryRunner } from 'typeorm';

/** An import may move an account listed under other premises only when its upload says so. */
export class ImportAllowAccountMoves1796600000000 implements MigrationInterface {
  name = 'ImportAllowAccountMoves1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_job" ADD "allow_account_moves" boolean NOT NULL DEFAULT false`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_job" DROP COLUMN "allow_account_moves"`);
  }
}
