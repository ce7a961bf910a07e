import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial-phone search by 4-digit runs. A trigram of digits is a weak key: "98989" has only two
 * ("989", "898"), so the trigram index offered 2,040 cards of 1M for 155 matches, and each was read
 * from the table to recheck and sort (3–12 ms). Every 4-digit run of the part must be in the card's
 * phone_quadgrams: for four digits and more the candidates are nearly the matches themselves
 * (0.2–2 ms on the same parts, bench/clients.ts). Three digits still use the trigram index.
 * phoneQuadgrams() (src/common/validation/phone-quadgrams.ts) computes the same arrays for parameters.
 */
export class PhoneQuadgramIndexes1795490000000 implements MigrationInterface {
  name = 'PhoneQuadgramIndexes1795490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION phone_quadgrams(digits text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
         AS $$ SELECT coalesce(array_agg(DISTINCT substr(digits, i, 4)), '{}') FROM generate_series(1, length(digits) - 3) AS i $$`,
    );
    await queryRunner.query('CREATE INDEX "ix_client_phone_quadgrams" ON "client" USING gin (phone_quadgrams("phone_digits"))');
    await queryRunner.query('CREATE INDEX "ix_ticket_caller_phone_quadgrams" ON "ticket_caller" USING gin (phone_quadgrams("phone_digits"))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "ix_ticket_caller_phone_quadgrams"');
    await queryRunner.query('DROP INDEX "ix_client_phone_quadgrams"');
    await queryRunner.query('DROP FUNCTION phone_quadgrams(text)');
  }
}
