import { MigrationInterface, QueryRunner } from 'typeorm';
import { normalizePhone } from '../../common/validation/phone';

/**
 * Staff phones were stored as typed («8 (916) 440-55-55»): they become E.164 like clients', so one phone
 * resolver finds them. A phone that is not a real number is kept as it was (nobody's data is dropped).
 * The GIN index on client.extra_phones lets the resolver find a card by a contact phone without a scan.
 */
export class EmployeePhonesE164AndExtraPhonesIndex1796594000000 implements MigrationInterface {
  name = 'EmployeePhonesE164AndExtraPhonesIndex1796594000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows: { organization_id: string; id: string; phone: string }[] = await queryRunner.query(`SELECT organization_id, id, phone FROM employee WHERE phone IS NOT NULL`);
    for (const row of rows) {
      const phone = normalizePhone(row.phone);
      if (phone && phone !== row.phone) await queryRunner.query(`UPDATE employee SET phone = $3 WHERE organization_id = $1 AND id = $2`, [row.organization_id, row.id, phone]);
    }
    await queryRunner.query(`CREATE INDEX "ix_client_extra_phones" ON "client" USING gin ("extra_phones")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_client_extra_phones"`);
  }
}
