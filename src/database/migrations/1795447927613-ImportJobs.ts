import { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportJobs1795447927613 implements MigrationInterface {
  name = 'ImportJobs1795447927613';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"import_job\" (\"organization_id\" uuid NOT NULL, \"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"created_by\" uuid, \"crm_space\" text NOT NULL, \"status\" text NOT NULL, \"mode\" text NOT NULL, \"sync\" boolean NOT NULL, \"file_name\" text NOT NULL, \"stored_file\" text, \"file_size\" bigint NOT NULL, \"total_rows\" integer, \"processed_rows\" integer NOT NULL DEFAULT '0', \"checkpoint_row\" integer NOT NULL DEFAULT '1', \"sync_done\" boolean NOT NULL DEFAULT false, \"created\" integer NOT NULL DEFAULT '0', \"updated\" integer NOT NULL DEFAULT '0', \"unchanged\" integer NOT NULL DEFAULT '0', \"detached\" integer NOT NULL DEFAULT '0', \"failed\" integer NOT NULL DEFAULT '0', \"percent\" real NOT NULL DEFAULT '0', \"rows_per_second\" real NOT NULL DEFAULT '0', \"error_code\" text, \"error_ru\" text, \"error_en\" text, \"cancel_requested\" boolean NOT NULL DEFAULT false, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_import_job_mode\" CHECK (mode IN ('DRY_RUN', 'MERGE', 'REPLACE')), CONSTRAINT \"ck_import_job_status\" CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')), CONSTRAINT \"PK_3536d177d25f65dcb6259932c7b\" PRIMARY KEY (\"organization_id\", \"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_import_job_list\" ON \"import_job\"  (\"organization_id\", \"created_at\", \"id\") ");
    await queryRunner.query("CREATE TABLE \"import_error\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"organization_id\" uuid NOT NULL, \"job_id\" uuid NOT NULL, \"row\" integer NOT NULL, \"column\" text, \"code\" text NOT NULL, \"message_ru\" text NOT NULL, \"message_en\" text NOT NULL, \"row_skipped\" boolean NOT NULL, CONSTRAINT \"PK_428e984c525aaecf89a353e83d2\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_import_error_job\" ON \"import_error\"  (\"organization_id\", \"job_id\", \"row\", \"id\") ");
    await queryRunner.query("CREATE TABLE \"import_listed\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"job_id\" uuid NOT NULL, \"premises_id\" uuid NOT NULL, \"client_id\" uuid, \"keep_all\" boolean NOT NULL DEFAULT false, CONSTRAINT \"PK_7826a295f9adf0c1fa9fb445633\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_import_listed\" ON \"import_listed\"  (\"job_id\", \"premises_id\", \"client_id\") ");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_import_listed\"");
    await queryRunner.query("DROP TABLE \"import_listed\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_import_error_job\"");
    await queryRunner.query("DROP TABLE \"import_error\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_import_job_list\"");
    await queryRunner.query("DROP TABLE \"import_job\"");
  }
}
