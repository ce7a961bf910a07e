import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API processes keep each organization's ticket classifier (TicketCategoriesService) and each staff
 * session's specializations (StaffAccessCache) in memory. Changes to either are announced here by
 * whatever writes them (notify_cached_rows_changed, migration StaffAccessChangeNotifications), so
 * every process drops what it holds at once.
 */
export class TicketScopeChangeNotifications1795480000000 implements MigrationInterface {
  name = 'TicketScopeChangeNotifications1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const classifier = `notify_cached_rows_changed('ticket_classifier_changed', 'organizationId', 'organization_id')`;
    await queryRunner.query(`CREATE TRIGGER tr_ticket_category_changed AFTER INSERT OR UPDATE OR DELETE ON ticket_category FOR EACH ROW EXECUTE FUNCTION ${classifier}`);
    await queryRunner.query(`CREATE TRIGGER tr_ticket_category_truncated AFTER TRUNCATE ON ticket_category FOR EACH STATEMENT EXECUTE FUNCTION ${classifier}`);
    const specializations = `notify_cached_rows_changed('staff_access_changed', 'employeeId', 'employee_id')`;
    await queryRunner.query(
      `CREATE TRIGGER tr_employee_specialization_changed AFTER INSERT OR UPDATE OR DELETE ON employee_specialization FOR EACH ROW EXECUTE FUNCTION ${specializations}`,
    );
    await queryRunner.query(`CREATE TRIGGER tr_employee_specialization_truncated AFTER TRUNCATE ON employee_specialization FOR EACH STATEMENT EXECUTE FUNCTION ${specializations}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER tr_employee_specialization_truncated ON employee_specialization');
    await queryRunner.query('DROP TRIGGER tr_employee_specialization_changed ON employee_specialization');
    await queryRunner.query('DROP TRIGGER tr_ticket_category_truncated ON ticket_category');
    await queryRunner.query('DROP TRIGGER tr_ticket_category_changed ON ticket_category');
  }
}
