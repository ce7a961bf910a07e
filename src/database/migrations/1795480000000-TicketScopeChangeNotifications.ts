import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep each organization's ticket classifier (TicketClassifierCache) and each staff
 * session's specializations (StaffAccessCache) in memory. Changes to either are announced here by
 * whatever writes them, so every process drops what it holds at once.
 */
export class TicketScopeChangeNotifications1795480000000 implements MigrationInterface {
  name = 'TicketScopeChangeNotifications1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_ticket_classifier_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ticket_classifier_changed', json_build_object('organizationId',
          CASE TG_OP WHEN 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_ticket_category_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_category FOR EACH ROW EXECUTE FUNCTION notify_ticket_classifier_changed()`,
    );
    await queryRunner.query(`
      CREATE FUNCTION notify_specialization_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('staff_access_changed', json_build_object('employeeId',
          CASE TG_OP WHEN 'DELETE' THEN OLD.employee_id ELSE NEW.employee_id END)::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER tr_employee_specialization_changed AFTER INSERT OR UPDATE OR DELETE ON employee_specialization FOR EACH ROW EXECUTE FUNCTION notify_specialization_changed()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tr_employee_specialization_changed ON employee_specialization');
    await queryRunner.query('DROP FUNCTION notify_specialization_changed()');
    await queryRunner.query('DROP TRIGGER tr_ticket_category_changed ON ticket_category');
    await queryRunner.query('DROP FUNCTION notify_ticket_classifier_changed()');
  }
}
