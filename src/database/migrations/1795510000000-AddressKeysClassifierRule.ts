import { MigrationInterface, QueryRunner } from 'typeorm';
import { applyKeyChanges, keyChanges, STORED_BUILDING_COLUMNS, StoredBuilding } from '../../buildings/building-keys';

/**
 * The address rule now folds the classifier's short names («пр-кт»), canonical house numbers
 * («7-А» = «7А») and корпус/строение/литера written in the house cell («7 корп. 1» = «7» + «1»):
 * stored address keys are recomputed so imports find existing buildings under the new rule.
 *
 * Buildings the new rule makes one (two rows of one organization with the same new key) would break
 * uq_building_address: the oldest of them takes the new key (imports land in it from now on), the
 * younger ones keep their old key, so the migration never fails on them. Join them with
 * `npm run buildings:merge-duplicates -- --dry-run`, then without --dry-run (building-merge.ts).
 *
 * It calls the live rule (src/buildings/address.ts) on purpose: the keys must be exactly what the
 * code computes. A later change of the rule ships its own recomputation the same way.
 */
export class AddressKeysClassifierRule1795510000000 implements MigrationInterface {
  name = 'AddressKeysClassifierRule1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const rows: StoredBuilding[] = await queryRunner.query(`SELECT ${STORED_BUILDING_COLUMNS} FROM building`);
    await applyKeyChanges(queryRunner.manager, keyChanges(rows));
  }

  async down(): Promise<void> {
    // Keys computed by the newer rule still identify each building; the older rule's code is gone.
  }
}
