import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultClassifierRows } from '../../tickets/default-classifier';

export class Tickets1795438717228 implements MigrationInterface {
  name = 'Tickets1795438717228';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"ticket\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"number\" integer NOT NULL, \"building_id\" uuid NOT NULL, \"entrance\" integer, \"floor\" integer, \"premises_id\" uuid, \"place_id\" uuid NOT NULL, \"category_id\" uuid, \"description\" text NOT NULL, \"emergency\" boolean NOT NULL DEFAULT false, \"paid\" boolean NOT NULL DEFAULT false, \"warranty\" boolean NOT NULL DEFAULT false, \"deadline\" TIMESTAMP WITH TIME ZONE, \"status\" text NOT NULL DEFAULT 'NEW', \"source\" text NOT NULL DEFAULT 'CALL', \"client_id\" uuid, \"contact_name\" text NOT NULL DEFAULT '', \"contact_phone\" text, \"contact_address\" text NOT NULL DEFAULT '', \"assignee_id\" uuid, \"executor_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"closed_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"ck_ticket_source\" CHECK (source IN ('CALL', 'APP', 'EMAIL', 'VISIT', 'IMPORT')), CONSTRAINT \"ck_ticket_status\" CHECK (status IN ('NEW', 'IN_PROGRESS', 'DEFERRED', 'COMPLETED', 'CLOSED', 'CANCELLED')), CONSTRAINT \"PK_0d0f7abb56e02929bd6daf85309\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ticket_client_place\" ON \"ticket\"  (\"organization_id\", \"client_id\", \"place_id\", \"number\") ");
    await queryRunner.query("CREATE INDEX \"ix_ticket_premises\" ON \"ticket\"  (\"organization_id\", \"premises_id\", \"number\") ");
    await queryRunner.query("CREATE INDEX \"ix_ticket_building\" ON \"ticket\"  (\"organization_id\", \"building_id\", \"number\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_ticket_number\" ON \"ticket\"  (\"organization_id\", \"number\") ");
    await queryRunner.query("CREATE TABLE \"ticket_counter\" (\"organization_id\" uuid NOT NULL, \"last_number\" integer NOT NULL DEFAULT '0', CONSTRAINT \"PK_7b4bec8f5a9cddc5342c7ac51e0\" PRIMARY KEY (\"organization_id\"))");
    await queryRunner.query("CREATE TABLE \"ticket_caller\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"phone\" text NOT NULL, \"phone_digits\" text COLLATE \"C\" NOT NULL, \"full_name\" text NOT NULL DEFAULT '', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_bbe7e644f3e74d3fa8a939ac319\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_ticket_caller_phone\" ON \"ticket_caller\"  (\"organization_id\", \"phone\") ");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_8a4e9b23165df3e76e46bd380d1\" FOREIGN KEY (\"organization_id\", \"building_id\") REFERENCES \"building\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_1abde7a1b13b34d062362630302\" FOREIGN KEY (\"organization_id\", \"premises_id\") REFERENCES \"premises\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_822d6ca29c0667b83cd7b336139\" FOREIGN KEY (\"organization_id\", \"category_id\") REFERENCES \"ticket_category\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_de8484211a532a56a20a71a06e0\" FOREIGN KEY (\"organization_id\", \"client_id\") REFERENCES \"client\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_605ccf027411a978d7c4bc827a9\" FOREIGN KEY (\"assignee_id\", \"organization_id\") REFERENCES \"employee\"(\"id\",\"organization_id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket\" ADD CONSTRAINT \"FK_22ed29c9788f9b7e7a3efc5c21b\" FOREIGN KEY (\"executor_id\", \"organization_id\") REFERENCES \"employee\"(\"id\",\"organization_id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_counter\" ADD CONSTRAINT \"FK_7b4bec8f5a9cddc5342c7ac51e0\" FOREIGN KEY (\"organization_id\") REFERENCES \"organization\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // The card reads a caller's tickets (no client card) by phone and place, newest first.
    await queryRunner.query('CREATE INDEX "ix_ticket_caller_place" ON "ticket" ("organization_id", "contact_phone", "place_id", "number") WHERE client_id IS NULL');
    // Phone typeahead over callers: short parts walk the first in phone order, longer ones use the trigrams.
    await queryRunner.query('CREATE INDEX "ix_ticket_caller_digits" ON "ticket_caller" ("organization_id", "phone_digits") INCLUDE ("id")');
    await queryRunner.query('CREATE INDEX "ix_ticket_caller_digits_trgm" ON "ticket_caller" USING gin ("phone_digits" gin_trgm_ops)');
    await queryRunner.query('CREATE INDEX "ix_client_phone_prefix" ON "client" ("organization_id", ("phone_digits" COLLATE "C"))');
    // Organizations created before tickets existed get the default classifier new ones get at creation.
    const organizations: { id: string }[] = await queryRunner.query('SELECT o.id FROM organization o WHERE NOT EXISTS (SELECT 1 FROM ticket_category c WHERE c.organization_id = o.id)');
    for (const { id: organizationId } of organizations) {
      const rows = defaultClassifierRows(randomUUID);
      await queryRunner.query(
        'INSERT INTO ticket_category (organization_id, id, parent_id, name) SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[])',
        [organizationId, rows.map((r) => r.id), rows.map((r) => r.parentId), rows.map((r) => r.name)],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_client_phone_prefix"');
    await queryRunner.query('DROP INDEX "public"."ix_ticket_caller_digits_trgm"');
    await queryRunner.query('DROP INDEX "public"."ix_ticket_caller_digits"');
    await queryRunner.query('DROP INDEX "public"."ix_ticket_caller_place"');
    await queryRunner.query("ALTER TABLE \"ticket_counter\" DROP CONSTRAINT \"FK_7b4bec8f5a9cddc5342c7ac51e0\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_22ed29c9788f9b7e7a3efc5c21b\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_605ccf027411a978d7c4bc827a9\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_de8484211a532a56a20a71a06e0\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_822d6ca29c0667b83cd7b336139\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_1abde7a1b13b34d062362630302\"");
    await queryRunner.query("ALTER TABLE \"ticket\" DROP CONSTRAINT \"FK_8a4e9b23165df3e76e46bd380d1\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_ticket_caller_phone\"");
    await queryRunner.query("DROP TABLE \"ticket_caller\"");
    await queryRunner.query("DROP TABLE \"ticket_counter\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_ticket_number\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_building\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_premises\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_client_place\"");
    await queryRunner.query("DROP TABLE \"ticket\"");
  }
}
