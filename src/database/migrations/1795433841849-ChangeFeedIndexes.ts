import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChangeFeedIndexes1795433841849 implements MigrationInterface {
  name = 'ChangeFeedIndexes1795433841849';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX \"ix_building_changes\" ON \"building\"  (\"organization_id\", \"updated_at\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_premises_changes\" ON \"premises\"  (\"organization_id\", \"updated_at\", \"id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_premises_changes\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_building_changes\"");
  }
}
