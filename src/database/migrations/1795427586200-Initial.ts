import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795427586200 implements MigrationInterface {
  name = 'Initial1795427586200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"organization\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_472c1f99a32def1b0abb219cd67\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE TABLE \"employee\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"organization_id\" uuid NOT NULL, \"email\" text NOT NULL, \"password_hash\" text NOT NULL, \"full_name\" text NOT NULL, \"phone\" text, \"role\" text NOT NULL, \"receives_registration_requests\" boolean NOT NULL DEFAULT false, \"blocked\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_employee_organization_id_id\" UNIQUE (\"organization_id\", \"id\"), CONSTRAINT \"ck_employee_role\" CHECK (role IN ('ADMIN', 'MANAGER', 'DISPATCHER', 'TECHNICIAN', 'VIEWER')), CONSTRAINT \"PK_3c2bc72f03fd5abbbc5ac169498\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_employee_email\" ON \"employee\"  (\"email\") ");
    await queryRunner.query("CREATE TABLE \"auth_session\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"organization_id\" uuid NOT NULL, \"employee_id\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_19354ed146424a728c1112a8cbf\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_auth_session_expires_at\" ON \"auth_session\"  (\"expires_at\") ");
    await queryRunner.query("CREATE TABLE \"building\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"city\" text NOT NULL, \"street\" text NOT NULL, \"house\" text NOT NULL, \"block\" text, \"postal_index\" character(6), \"address_key\" text NOT NULL, \"search_text\" text NOT NULL, \"entrances\" jsonb NOT NULL, \"reference_sheet_html\" text NOT NULL DEFAULT '', \"reference_sheet_updated_at\" TIMESTAMP WITH TIME ZONE, \"reference_sheet_updated_by\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_building_address\" UNIQUE (\"organization_id\", \"address_key\"), CONSTRAINT \"PK_e8c00e8b51151dc4e8cea278231\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE TABLE \"ticket_category\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"parent_id\" uuid, \"name\" text NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_822d6ca29c0667b83cd7b336139\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_ticket_category_parent\" ON \"ticket_category\"  (\"organization_id\", \"parent_id\") ");
    await queryRunner.query("CREATE TABLE \"employee_specialization\" (\"organization_id\" uuid NOT NULL, \"employee_id\" uuid NOT NULL, \"category_id\" uuid NOT NULL, CONSTRAINT \"PK_6820ed25512caca44b06d319379\" PRIMARY KEY (\"organization_id\", \"employee_id\", \"category_id\"))");
    await queryRunner.query("CREATE TABLE \"premises\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"building_id\" uuid NOT NULL, \"type\" text NOT NULL, \"number\" text NOT NULL, \"number_key\" text NOT NULL, \"number_sort\" text NOT NULL, \"entrance\" integer, \"floor\" integer, \"area\" numeric(12,2), \"rooms\" integer, \"cadastral_number\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_premises_number\" UNIQUE (\"organization_id\", \"building_id\", \"type\", \"number_key\"), CONSTRAINT \"ck_premises_area\" CHECK (area IS NULL OR area > 0), CONSTRAINT \"ck_premises_type\" CHECK (type IN ('FLAT', 'NON_RESIDENTIAL', 'PARKING', 'STORAGE', 'COMMERCIAL')), CONSTRAINT \"PK_f5411cbf698a1306e62cea5aabd\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_premises_building_sort\" ON \"premises\"  (\"organization_id\", \"building_id\", \"number_sort\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_premises_number_sort\" ON \"premises\"  (\"organization_id\", \"number_sort\", \"id\") ");
    await queryRunner.query("ALTER TABLE \"employee\" ADD CONSTRAINT \"FK_b5b0a5f2ddc7062bbdded584a14\" FOREIGN KEY (\"organization_id\") REFERENCES \"organization\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"auth_session\" ADD CONSTRAINT \"FK_808c9aa602b3305d0a640809f8a\" FOREIGN KEY (\"employee_id\", \"organization_id\") REFERENCES \"employee\"(\"id\",\"organization_id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"building\" ADD CONSTRAINT \"FK_dd709c6c4b2e4d8f199c993aefd\" FOREIGN KEY (\"organization_id\") REFERENCES \"organization\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_category\" ADD CONSTRAINT \"FK_fee661179c32debf6a67f9b2340\" FOREIGN KEY (\"organization_id\") REFERENCES \"organization\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"ticket_category\" ADD CONSTRAINT \"FK_2668f70e9d8b3e07685ea793dbc\" FOREIGN KEY (\"organization_id\", \"parent_id\") REFERENCES \"ticket_category\"(\"organization_id\",\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"employee_specialization\" ADD CONSTRAINT \"FK_3500847133971661ea9e8c557d3\" FOREIGN KEY (\"employee_id\", \"organization_id\") REFERENCES \"employee\"(\"id\",\"organization_id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"employee_specialization\" ADD CONSTRAINT \"FK_d26308a11631e1210031bf640e1\" FOREIGN KEY (\"organization_id\", \"category_id\") REFERENCES \"ticket_category\"(\"organization_id\",\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"premises\" ADD CONSTRAINT \"FK_97bfdd3e6bd58316f93139ca2db\" FOREIGN KEY (\"organization_id\", \"building_id\") REFERENCES \"building\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"premises\" DROP CONSTRAINT \"FK_97bfdd3e6bd58316f93139ca2db\"");
    await queryRunner.query("ALTER TABLE \"employee_specialization\" DROP CONSTRAINT \"FK_d26308a11631e1210031bf640e1\"");
    await queryRunner.query("ALTER TABLE \"employee_specialization\" DROP CONSTRAINT \"FK_3500847133971661ea9e8c557d3\"");
    await queryRunner.query("ALTER TABLE \"ticket_category\" DROP CONSTRAINT \"FK_2668f70e9d8b3e07685ea793dbc\"");
    await queryRunner.query("ALTER TABLE \"ticket_category\" DROP CONSTRAINT \"FK_fee661179c32debf6a67f9b2340\"");
    await queryRunner.query("ALTER TABLE \"building\" DROP CONSTRAINT \"FK_dd709c6c4b2e4d8f199c993aefd\"");
    await queryRunner.query("ALTER TABLE \"auth_session\" DROP CONSTRAINT \"FK_808c9aa602b3305d0a640809f8a\"");
    await queryRunner.query("ALTER TABLE \"employee\" DROP CONSTRAINT \"FK_b5b0a5f2ddc7062bbdded584a14\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_premises_number_sort\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_premises_building_sort\"");
    await queryRunner.query("DROP TABLE \"premises\"");
    await queryRunner.query("DROP TABLE \"employee_specialization\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_ticket_category_parent\"");
    await queryRunner.query("DROP TABLE \"ticket_category\"");
    await queryRunner.query("DROP TABLE \"building\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_auth_session_expires_at\"");
    await queryRunner.query("DROP TABLE \"auth_session\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_employee_email\"");
    await queryRunner.query("DROP TABLE \"employee\"");
    await queryRunner.query("DROP TABLE \"organization\"");
  }
}
