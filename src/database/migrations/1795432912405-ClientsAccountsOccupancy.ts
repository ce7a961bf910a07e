import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClientsAccountsOccupancy1795432912405 implements MigrationInterface {
  name = 'ClientsAccountsOccupancy1795432912405';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Partial-phone search ("916 12") matches any part of the digits: a trigram index serves LIKE '%…%'.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query("CREATE TABLE \"client\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"status\" text NOT NULL DEFAULT 'ACTIVE', \"type\" text NOT NULL DEFAULT 'INDIVIDUAL', \"tester\" boolean NOT NULL DEFAULT false, \"last_name\" text, \"first_name\" text, \"middle_name\" text, \"organization_name\" text, \"gender\" text, \"birth_date\" date, \"phone\" text, \"extra_phones\" text array NOT NULL DEFAULT '{}', \"phone_digits\" text NOT NULL DEFAULT '', \"email\" text, \"note\" text, \"passport_series\" text, \"passport_number\" text, \"passport_issued_by\" text, \"passport_issued_on\" date, \"passport_comment\" text, \"registration_address\" text, \"postal_index\" text, \"address_comment\" text, \"inn\" text, \"snils\" text, \"loyalty_card_number\" text, \"surname_key\" text COLLATE \"C\" NOT NULL DEFAULT '', \"name_key\" text NOT NULL DEFAULT '', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_client_gender\" CHECK (gender IS NULL OR gender IN ('MALE', 'FEMALE')), CONSTRAINT \"ck_client_type\" CHECK (type IN ('INDIVIDUAL', 'SOLE_PROPRIETOR', 'LEGAL_ENTITY', 'FOREIGN_BRANCH')), CONSTRAINT \"ck_client_status\" CHECK (status IN ('ACTIVE', 'BLOCKED')), CONSTRAINT \"PK_c60f13c2d958da66daf078fe73f\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_client_changes\" ON \"client\"  (\"organization_id\", \"updated_at\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_client_identity\" ON \"client\"  (\"organization_id\", \"name_key\") ");
    await queryRunner.query("CREATE INDEX \"ix_client_surname\" ON \"client\"  (\"organization_id\", \"surname_key\", \"id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_client_phone\" ON \"client\"  (\"organization_id\", \"phone\") WHERE phone IS NOT NULL");
    await queryRunner.query("CREATE TABLE \"tag\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" text NOT NULL, \"name_key\" text COLLATE \"C\" NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_53320aab807bdd7de4b5b96b5cb\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_tag_name\" ON \"tag\"  (\"organization_id\", \"name_key\") ");
    await queryRunner.query("CREATE TABLE \"client_tag\" (\"organization_id\" uuid NOT NULL, \"client_id\" uuid NOT NULL, \"tag_id\" uuid NOT NULL, CONSTRAINT \"PK_80e3dea594d7336531f42262d59\" PRIMARY KEY (\"organization_id\", \"client_id\", \"tag_id\"))");
    await queryRunner.query("CREATE INDEX \"ix_client_tag_tag\" ON \"client_tag\"  (\"organization_id\", \"tag_id\", \"client_id\") ");
    await queryRunner.query("CREATE TABLE \"external_id\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"entity_type\" text NOT NULL, \"entity_id\" uuid NOT NULL, \"space\" text NOT NULL, \"system\" text NOT NULL, \"value\" text NOT NULL, \"note\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_external_id_entity_type\" CHECK (entity_type IN ('BUILDING', 'PREMISES', 'ACCOUNT', 'CLIENT')), CONSTRAINT \"ck_external_id_space\" CHECK (space IN ('OPERATION', 'CONSTRUCTION')), CONSTRAINT \"PK_126dfad22fcc008386c38113675\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_external_id_entity\" ON \"external_id\"  (\"organization_id\", \"entity_type\", \"entity_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_external_id_value\" ON \"external_id\"  (\"organization_id\", \"entity_type\", \"space\", \"system\", \"value\") ");
    await queryRunner.query("CREATE TABLE \"account\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"number\" text NOT NULL, \"number_key\" text COLLATE \"C\" NOT NULL, \"premises_id\" uuid NOT NULL, \"owner_client_id\" uuid, \"opened_on\" date, \"closed_on\" date, \"status\" text NOT NULL DEFAULT 'ACTIVE', \"area_share\" numeric(5,4), \"hidden_from_resident\" boolean NOT NULL DEFAULT false, \"payments_enabled\" boolean NOT NULL DEFAULT true, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_account_share\" CHECK (area_share IS NULL OR (area_share > 0 AND area_share <= 1)), CONSTRAINT \"ck_account_status\" CHECK (status IN ('ACTIVE', 'CLOSED')), CONSTRAINT \"PK_300c64cce0bff188a7bc18bab59\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_account_changes\" ON \"account\"  (\"organization_id\", \"updated_at\", \"id\") ");
    await queryRunner.query("CREATE INDEX \"ix_account_owner\" ON \"account\"  (\"organization_id\", \"owner_client_id\") ");
    await queryRunner.query("CREATE INDEX \"ix_account_premises\" ON \"account\"  (\"organization_id\", \"premises_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_account_number\" ON \"account\"  (\"organization_id\", \"number_key\") ");
    await queryRunner.query("CREATE TABLE \"occupancy\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"premises_id\" uuid NOT NULL, \"client_id\" uuid NOT NULL, \"role\" text NOT NULL, \"keep_on_sync\" boolean NOT NULL DEFAULT false, \"source\" text NOT NULL, \"since\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_occupancy_source\" CHECK (source IN ('MANUAL', 'IMPORT', 'REGISTRATION', 'INTEGRATION')), CONSTRAINT \"ck_occupancy_role\" CHECK (role IN ('OWNER', 'CO_OWNER', 'TENANT', 'FAMILY_MEMBER', 'REPRESENTATIVE', 'OTHER')), CONSTRAINT \"PK_983ff7e8b19486b4d122a1567cc\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_occupancy_client\" ON \"occupancy\"  (\"organization_id\", \"client_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"uq_occupancy\" ON \"occupancy\"  (\"organization_id\", \"premises_id\", \"client_id\") ");
    await queryRunner.query("CREATE TABLE \"audit_entry\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"organization_id\" uuid NOT NULL, \"entity_type\" text NOT NULL, \"entity_id\" uuid NOT NULL, \"action\" text NOT NULL, \"channel\" text NOT NULL, \"channel_ref\" text, \"actor_employee_id\" uuid, \"before\" jsonb, \"after\" jsonb, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_58a130a4b9da189f46ba2a01801\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_audit_entity\" ON \"audit_entry\"  (\"organization_id\", \"entity_type\", \"entity_id\", \"id\") ");
    await queryRunner.query("ALTER TABLE \"employee\" ADD \"crm_space\" text NOT NULL DEFAULT 'OPERATION'");
    await queryRunner.query("ALTER TABLE \"employee\" ADD CONSTRAINT \"ck_employee_crm_space\" CHECK (crm_space IN ('OPERATION', 'CONSTRUCTION'))");
    await queryRunner.query("ALTER TABLE \"client_tag\" ADD CONSTRAINT \"FK_708433c6fed0bbd74a5af608d8b\" FOREIGN KEY (\"organization_id\", \"client_id\") REFERENCES \"client\"(\"organization_id\",\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"client_tag\" ADD CONSTRAINT \"FK_9ff71273ac676ba4fb9c648f258\" FOREIGN KEY (\"organization_id\", \"tag_id\") REFERENCES \"tag\"(\"organization_id\",\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"account\" ADD CONSTRAINT \"FK_c16daadbfccd864f26c43124baa\" FOREIGN KEY (\"organization_id\", \"premises_id\") REFERENCES \"premises\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"account\" ADD CONSTRAINT \"FK_647cb6e6aa073623bd0045bfc73\" FOREIGN KEY (\"organization_id\", \"owner_client_id\") REFERENCES \"client\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"occupancy\" ADD CONSTRAINT \"FK_b713aaec00b07289738837aba1d\" FOREIGN KEY (\"organization_id\", \"premises_id\") REFERENCES \"premises\"(\"organization_id\",\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"occupancy\" ADD CONSTRAINT \"FK_eb6ad2819b25aaac109f26deea1\" FOREIGN KEY (\"organization_id\", \"client_id\") REFERENCES \"client\"(\"organization_id\",\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query('CREATE INDEX "ix_client_phone_digits" ON "client" USING gin ("phone_digits" gin_trgm_ops)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."ix_client_phone_digits"');
    await queryRunner.query("ALTER TABLE \"occupancy\" DROP CONSTRAINT \"FK_eb6ad2819b25aaac109f26deea1\"");
    await queryRunner.query("ALTER TABLE \"occupancy\" DROP CONSTRAINT \"FK_b713aaec00b07289738837aba1d\"");
    await queryRunner.query("ALTER TABLE \"account\" DROP CONSTRAINT \"FK_647cb6e6aa073623bd0045bfc73\"");
    await queryRunner.query("ALTER TABLE \"account\" DROP CONSTRAINT \"FK_c16daadbfccd864f26c43124baa\"");
    await queryRunner.query("ALTER TABLE \"client_tag\" DROP CONSTRAINT \"FK_9ff71273ac676ba4fb9c648f258\"");
    await queryRunner.query("ALTER TABLE \"client_tag\" DROP CONSTRAINT \"FK_708433c6fed0bbd74a5af608d8b\"");
    await queryRunner.query("ALTER TABLE \"employee\" DROP CONSTRAINT \"ck_employee_crm_space\"");
    await queryRunner.query("ALTER TABLE \"employee\" DROP COLUMN \"crm_space\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_audit_entity\"");
    await queryRunner.query("DROP TABLE \"audit_entry\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_occupancy\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_occupancy_client\"");
    await queryRunner.query("DROP TABLE \"occupancy\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_account_number\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_account_premises\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_account_owner\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_account_changes\"");
    await queryRunner.query("DROP TABLE \"account\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_external_id_value\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_external_id_entity\"");
    await queryRunner.query("DROP TABLE \"external_id\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_client_tag_tag\"");
    await queryRunner.query("DROP TABLE \"client_tag\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_tag_name\"");
    await queryRunner.query("DROP TABLE \"tag\"");
    await queryRunner.query("DROP INDEX \"public\".\"uq_client_phone\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_client_surname\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_client_identity\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_client_changes\"");
    await queryRunner.query("DROP TABLE \"client\"");
  }
}
