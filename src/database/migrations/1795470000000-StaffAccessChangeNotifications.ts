import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep checked staff sessions in memory (StaffAccessCache). Every change that can end
 * or narrow a session's access is announced here, by whatever writes it (the API, a worker, a
 * hand-run UPDATE), so each process drops the employee's cached sessions at once.
 */
export class StaffAccessChangeNotifications1795470000000 implements MigrationInterface {
  name = 'StaffAccessChangeNotifications1795470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_staff_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- TG_ARGV[0] names the row's employee column (id on employee, employee_id on auth_session).
        PERFORM pg_notify('staff_access_changed', json_build_object('employeeId', to_jsonb(OLD) ->> TG_ARGV[0])::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_employee_access_changed AFTER UPDATE OF role, blocked, crm_space, organization_id ON employee FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.blocked IS DISTINCT FROM NEW.blocked
         OR OLD.crm_space IS DISTINCT FROM NEW.crm_space OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION notify_staff_access_changed('id')`);
    await queryRunner.query(`CREATE TRIGGER tr_employee_deleted AFTER DELETE ON employee FOR EACH ROW EXECUTE FUNCTION notify_staff_access_changed('id')`);
    await queryRunner.query(`
      CREATE TRIGGER tr_auth_session_changed AFTER UPDATE ON auth_session FOR EACH ROW
      WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
         OR OLD.employee_id IS DISTINCT FROM NEW.employee_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION notify_staff_access_changed('employee_id')`);
    await queryRunner.query(`CREATE TRIGGER tr_auth_session_deleted AFTER DELETE ON auth_session FOR EACH ROW EXECUTE FUNCTION notify_staff_access_changed('employee_id')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tr_auth_session_deleted ON auth_session');
    await queryRunner.query('DROP TRIGGER tr_auth_session_changed ON auth_session');
    await queryRunner.query('DROP TRIGGER tr_employee_deleted ON employee');
    await queryRunner.query('DROP TRIGGER tr_employee_access_changed ON employee');
    await queryRunner.query('DROP FUNCTION notify_staff_access_changed()');
  }
}
