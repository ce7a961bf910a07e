import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * import_listed gets the organization of its job, like every other table, so its owner (the imports
 * module) scopes each statement by organization. Rows whose job is gone are leftovers nothing reads
 * (a job's list is deleted when it ends): they go rather than block NOT NULL.
 */
export class ImportListedOrganization1796610000000 implements MigrationInterface {
  name = 'ImportListedOrganization1796610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_listed" ADD "organization_id" uuid`);
    await queryRunner.query(`UPDATE "import_listed" l SET "organization_id" = j."organization_id" FROM "import_job" j WHERE j."id" = l."job_id"`);
    await queryRunner.query(`DELETE FROM "import_listed" WHERE "organization_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "import_listed" ALTER COLUMN "organization_id" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."ix_import_listed"`);
    await queryRunner.query(`CREATE INDEX "ix_import_listed" ON "import_listed" ("organization_id", "job_id", "premises_id", "client_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_import_listed"`);
    await queryRunner.query(`CREATE INDEX "ix_import_listed" ON "import_listed" ("job_id", "premises_id", "client_id")`);
    await queryRunner.query(`ALTER TABLE "import_listed" DROP COLUMN "organization_id"`);
  }
}
