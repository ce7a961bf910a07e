import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';
import { Connection } from '../../../common/pagination/connection';
import { msg } from '../../../common/validation/messages';
import { ImportMode, ImportStatus } from '../../job/import-enums';

@ObjectType('ImportRowError')
export class ImportRowErrorType {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'Row number in the sheet, as Excel shows it (1 = the header)' })
  row: number;

  @Field(() => String, { nullable: true, description: 'The column header, e.g. «Телефоны»; null for the whole row' })
  column: string | null;

  @Field({ description: 'REQUIRED, INVALID_PHONE, UNKNOWN_CHOICE, …' })
  code: string;

  @Field({ description: 'For the clerk, in Russian' })
  message: string;

  @Field()
  messageEn: string;

  @Field({ description: 'True: the row was left out; false: it imported without the bad cell' })
  rowSkipped: boolean;
}

export const ImportRowErrorConnection = Connection(ImportRowErrorType);

@ObjectType('ImportJobError')
export class ImportJobErrorType {
  @Field({ description: 'EMPTY, NOT_A_SPREADSHEET, PASSWORD_PROTECTED, BAD_HEADER, TOO_LARGE, …' })
  code: string;

  @Field()
  message: string;

  @Field()
  messageEn: string;
}

@ObjectType('ImportJob')
export class ImportJobType {
  @Field(() => ID)
  id: string;

  @Field(() => ImportStatus)
  status: ImportStatus;

  @Field(() => ImportMode)
  mode: ImportMode;

  @Field({
    description:
      'Detach import-attached clients of the file’s premises that the file no longer lists (unless keepOnSync)',
  })
  sync: boolean;

  @Field({
    description:
      'An account the file lists under other premises moves there (a row warning, audited); false: such rows are refused, naming where the account is',
  })
  allowAccountMoves: boolean;

  @Field()
  fileName: string;

  @Field(() => Float, { description: 'Bytes' })
  fileSize: number;

  @Field(() => Int, { nullable: true, description: 'Data rows in the file, once known' })
  totalRows: number | null;

  @Field(() => Int)
  processedRows: number;

  @Field(() => Int, { description: 'Rows that created a record or an attachment' })
  created: number;

  @Field(() => Int, { description: 'Rows that changed existing records only' })
  updated: number;

  @Field(() => Int, { description: 'Rows whose data was already there' })
  unchanged: number;

  @Field(() => Int, { description: 'Attachments removed by sync' })
  detached: number;

  @Field(() => Int, { description: 'Rows left out because of errors' })
  failed: number;

  @Field(() => Float)
  percent: number;

  @Field(() => Float)
  rowsPerSecond: number;

  @Field(() => ImportJobErrorType, { nullable: true, description: 'Why the whole file failed or what cancelling kept' })
  error: ImportJobErrorType | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

export const ImportJobConnection = Connection(ImportJobType);

@InputType()
export class CancelImportInput {
  @Field(() => ID)
  @IsUUID('all', { message: msg('некорректный идентификатор импорта', 'invalid import id') })
  id: string;
}

@ObjectType()
export class CancelImportPayload {
  @Field(() => ImportJobType)
  job: ImportJobType;
}
