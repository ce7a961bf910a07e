import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep checked staff sessions in memory (StaffAccessCache). Every change that can end
 * or narrow a session's access is announced here by whatever writes it (the API, a worker, a
 * hand-run UPDATE), so each process drops the employee's cached sessions at once.
 *
 * notify_cached_rows_changed(channel, key, column) is shared with later migrations: it sends
 * {key: <the row's column>} on the channel for the old and the new row (both when the column
 * changed), and {} for a TRUNCATE, which the caches read as "forget everything".
 */
export class StaffAccessChangeNotifications1795470000000 implements MigrationInterface {
  name = 'StaffAccessChangeNotifications1795470000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_cached_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_value text;
        new_value text;
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify(TG_ARGV[0], '{}');
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN old_value := to_jsonb(OLD) ->> TG_ARGV[2]; END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN new_value := to_jsonb(NEW) ->> TG_ARGV[2]; END IF;
        IF old_value IS NOT NULL THEN
          PERFORM pg_notify(TG_ARGV[0], json_build_object(TG_ARGV[1], old_value)::text);
        END IF;
        IF new_value IS NOT NULL AND new_value IS DISTINCT FROM old_value THEN
          PERFORM pg_notify(TG_ARGV[0], json_build_object(TG_ARGV[1], new_value)::text);
        END IF;
        RETURN NULL;
      END $$`);
    const announce = `notify_cached_rows_changed('staff_access_changed', 'employeeId'`;
    await queryRunner.query(`
      CREATE TRIGGER tr_employee_access_changed AFTER UPDATE OF role, blocked, crm_space, organization_id ON employee FOR EACH ROW
      WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.blocked IS DISTINCT FROM NEW.blocked
         OR OLD.crm_space IS DISTINCT FROM NEW.crm_space OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION ${announce}, 'id')`);
    await queryRunner.query(`CREATE TRIGGER tr_employee_deleted AFTER DELETE ON employee FOR EACH ROW EXECUTE FUNCTION ${announce}, 'id')`);
    await queryRunner.query(`CREATE TRIGGER tr_employee_truncated AFTER TRUNCATE ON employee FOR EACH STATEMENT EXECUTE FUNCTION ${announce}, 'id')`);
    await queryRunner.query(`
      CREATE TRIGGER tr_auth_session_changed AFTER UPDATE ON auth_session FOR EACH ROW
      WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
         OR OLD.employee_id IS DISTINCT FROM NEW.employee_id OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION ${announce}, 'employee_id')`);
    // Only a live session's deletion matters: the hourly purge of long-ended ones would otherwise
    // make every process scan its cache once per purged employee.
    await queryRunner.query(`
      CREATE TRIGGER tr_auth_session_deleted AFTER DELETE ON auth_session FOR EACH ROW
      WHEN (OLD.revoked_at IS NULL AND OLD.expires_at > now())
      EXECUTE FUNCTION ${announce}, 'employee_id')`);
    await queryRunner.query(`CREATE TRIGGER tr_auth_session_truncated AFTER TRUNCATE ON auth_session FOR EACH STATEMENT EXECUTE FUNCTION ${announce}, 'employee_id')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['tr_auth_session_truncated', 'auth_session'],
      ['tr_auth_session_deleted', 'auth_session'],
      ['tr_auth_session_changed', 'auth_session'],
      ['tr_employee_truncated', 'employee'],
      ['tr_employee_deleted', 'employee'],
      ['tr_employee_access_changed', 'employee'],
    ]) {
      await queryRunner.query(`DROP TRIGGER ${trigger} ON ${table}`);
    }
    await queryRunner.query('DROP FUNCTION notify_cached_rows_changed()');
  }
}
