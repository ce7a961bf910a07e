import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResidentsRegistrationNotifications1795439328567 implements MigrationInterface {
  name = 'ResidentsRegistrationNotifications1795439328567';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"rate_limit_counter\" (\"key\" text NOT NULL, \"window_start\" TIMESTAMP WITH TIME ZONE NOT NULL, \"hits\" integer NOT NULL, CONSTRAINT \"PK_ebe8d4cd94f7816b2455101405e\" PRIMARY KEY (\"key\", \"window_start\"))");
    await queryRunner.query("CREATE TABLE \"notification_outbox\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"organization_id\" uuid, \"channel\" text NOT NULL, \"recipient\" text NOT NULL, \"subject\" text, \"body\" text NOT NULL, \"redact_after_delivery\" boolean NOT NULL DEFAULT false, \"dedup_key\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'PENDING', \"attempts\" integer NOT NULL DEFAULT '0', \"last_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"sent_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"UQ_53ff2a51a16ef39be7edb0d1d67\" UNIQUE (\"dedup_key\"), CONSTRAINT \"PK_83d47c7dba1da2d038749fe757e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_notification_outbox_pending\" ON \"notification_outbox\"  (\"status\", \"created_at\") ");
    await queryRunner.query("CREATE TABLE \"resident\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"phone\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"last_seen_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"UQ_5272c8f5c024dbbde6ac74b8b0f\" UNIQUE (\"phone\"), CONSTRAINT \"PK_f1a321823d6f69d0e348535fd37\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"resident_session\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"resident_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_9945224eb43c7f241ad1a2ee4fc\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_resident_session_resident\" ON \"resident_session\"  (\"resident_id\") ");
    await queryRunner.query("CREATE TABLE \"resident_sign_in_code\" (\"phone\" text NOT NULL, \"code_hash\" text NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"attempts_left\" integer NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_9a47bbea01558c865e7cde067d1\" PRIMARY KEY (\"phone\"))");
    await queryRunner.query("CREATE TABLE \"registration_request\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"phone\" text NOT NULL, \"resident_id\" uuid, \"full_name\" text NOT NULL, \"client_type\" text NOT NULL, \"city\" text, \"street\" text NOT NULL, \"house\" text NOT NULL, \"block\" text, \"premises_number\" text NOT NULL, \"account_number\" text, \"role\" text NOT NULL, \"status\" text NOT NULL DEFAULT 'PENDING', \"dedup_key\" text NOT NULL, \"building_id\" uuid, \"premises_id\" uuid, \"client_id\" uuid, \"rejection_reason\" text, \"handled_by\" uuid, \"handled_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_1d7eec3d2689d6c02f66677a63d\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_registration_request_pending\" ON \"registration_request\"  (\"organization_id\", \"phone\", \"dedup_key\") WHERE status = 'PENDING'");
    await queryRunner.query("CREATE INDEX \"ix_registration_request_phone\" ON \"registration_request\"  (\"phone\") ");
    await queryRunner.query("CREATE INDEX \"ix_registration_request_status\" ON \"registration_request\"  (\"organization_id\", \"status\", \"created_at\", \"id\") ");
    await queryRunner.query("CREATE TABLE \"registration_event\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"organization_id\" uuid NOT NULL, \"request_id\" uuid NOT NULL, \"action\" text NOT NULL, \"employee_id\" uuid, \"comment\" text, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_e273290b4292fe15ea3b0d03511\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_registration_event_request\" ON \"registration_event\"  (\"organization_id\", \"request_id\", \"id\") ");
    await queryRunner.query("ALTER TABLE \"organization\" ADD \"self_registration_enabled\" boolean NOT NULL DEFAULT true");
    await queryRunner.query("ALTER TABLE \"organization\" ADD \"self_registration_refused_client_types\" text array NOT NULL DEFAULT '{}'");
    await queryRunner.query("ALTER TABLE \"resident_session\" ADD CONSTRAINT \"FK_72281ae645ae7d201fc7a1b426c\" FOREIGN KEY (\"resident_id\") REFERENCES \"resident\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // A resident types street and house without the city: the address key without its first part.
    await queryRunner.query("CREATE INDEX \"ix_building_street_house\" ON \"building\" ((substr(address_key, strpos(address_key, '|') + 1)))");
    await queryRunner.query("ALTER TABLE \"registration_request\" ADD CONSTRAINT \"FK_f7f0c8f0469e440025c22ad59b2\" FOREIGN KEY (\"organization_id\") REFERENCES \"organization\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_building_street_house\"");
    await queryRunner.query("ALTER TABLE \"registration_request\" DROP CONSTRAINT \"FK_f7f0c8f0469e440025c22ad59b2\"");
    await queryRunner.query("ALTER TABLE \"resident_session\" DROP CONSTRAINT \"FK_72281ae645ae7d201fc7a1b426c\"");
    await queryRunner.query("ALTER TABLE \"organization\" DROP COLUMN \"self_registration_refused_client_types\"");
    await queryRunner.query("ALTER TABLE \"organization\" DROP COLUMN \"self_registration_enabled\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_registration_event_request\"");
    await queryRunner.query("DROP TABLE \"registration_event\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_registration_request_status\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_registration_request_phone\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_registration_request_pending\"");
    await queryRunner.query("DROP TABLE \"registration_request\"");
    await queryRunner.query("DROP TABLE \"resident_sign_in_code\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_resident_session_resident\"");
    await queryRunner.query("DROP TABLE \"resident_session\"");
    await queryRunner.query("DROP TABLE \"resident\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_notification_outbox_pending\"");
    await queryRunner.query("DROP TABLE \"notification_outbox\"");
    await queryRunner.query("DROP TABLE \"rate_limit_counter\"");
  }
}
