import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which roles of an organization read clients' personal data unmasked (null: the role matrix's default).
 * Sessions cache what an employee may read (StaffAccessCache), so a change is announced on the staff
 * access channel with the organization's id: each process drops that organization's sessions.
 */
export class PersonalDataRoles1795500000000 implements MigrationInterface {
  name = 'PersonalDataRoles1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organization" ADD "personal_data_roles" text array`);
    await queryRunner.query(`
      CREATE TRIGGER tr_organization_personal_data_roles_changed AFTER UPDATE OF personal_data_roles ON organization FOR EACH ROW
      WHEN (OLD.personal_data_roles IS DISTINCT FROM NEW.personal_data_roles)
      EXECUTE FUNCTION notify_cached_rows_changed('staff_access_changed', 'organizationId', 'id')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_organization_personal_data_roles_changed ON organization`);
    await queryRunner.query(`ALTER TABLE "organization" DROP COLUMN "personal_data_roles"`);
  }
}
