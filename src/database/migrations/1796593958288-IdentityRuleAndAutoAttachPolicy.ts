import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityRuleAndAutoAttachPolicy1796593958288 implements MigrationInterface {
  name = 'IdentityRuleAndAutoAttachPolicy1796593958288';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"organization\" ADD \"auto_attach_policy\" text NOT NULL DEFAULT 'ACCOUNT_CONFIRMED'");
    await queryRunner.query("ALTER TABLE \"registration_request\" ADD \"hold_reason\" text");
    await queryRunner.query("CREATE INDEX \"ix_client_login_phone\" ON \"client\"  (\"phone\") WHERE phone IS NOT NULL");
    await queryRunner.query("ALTER TABLE \"organization\" ADD CONSTRAINT \"ck_organization_auto_attach_policy\" CHECK (auto_attach_policy IN ('PREMISES_FOUND', 'ACCOUNT_CONFIRMED', 'NEVER'))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"organization\" DROP CONSTRAINT \"ck_organization_auto_attach_policy\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_client_login_phone\"");
    await queryRunner.query("ALTER TABLE \"registration_request\" DROP COLUMN \"hold_reason\"");
    await queryRunner.query("ALTER TABLE \"organization\" DROP COLUMN \"auto_attach_policy\"");
  }
}
