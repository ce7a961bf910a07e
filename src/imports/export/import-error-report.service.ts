import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stream as excelStream } from 'exceljs';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { ImportErrorEntity } from '../job/import-error.entity';
import { ImportJobEntity } from '../job/import-job.entity';
import { openRegistryFile } from '../file/registry-file';
import { REPORT_COLUMN_HEADERS } from '../file/registry-header';

// The report's own columns; the import reads past them, so a corrected report can be uploaded as it is.
const [REPORT_ERRORS_HEADER, REPORT_ROW_HEADER] = REPORT_COLUMN_HEADERS;
const PAGE = 2000;

/**
 * errors.xlsx: every row that had a problem, as it was in the uploaded file (same columns, same
 * order), with what is wrong and the row's number in the original file. Streams the original file
 * again and merges it with the problems in row order, so memory stays flat.
 */
@Injectable()
export class ImportErrorReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async write(job: ImportJobEntity, output: Writable): Promise<void> {
    const path = job.storedFile ? join(this.config.imports.dir, job.storedFile) : null;
    if (
      !path ||
      !(await access(path).then(
        () => true,
        () => false,
      ))
    ) {
      throw new DomainException(ErrorCode.NOT_FOUND, {
        ru:
          job.failed || job.errorCode
            ? 'Отчёт об ошибках больше недоступен: файл импорта удалён по сроку хранения'
            : 'В этом импорте нет ошибок по строкам',
        en:
          job.failed || job.errorCode
            ? 'The error report is no longer available: the upload was removed after its retention period'
            : 'This import has no row errors',
      });
    }
    const reader = await openRegistryFile(path, { maxBytes: Number.MAX_SAFE_INTEGER });
    try {
      const workbook = new excelStream.xlsx.WorkbookWriter({
        stream: output,
        useStyles: true,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet('Ошибки');
      sheet.columns = [
        ...reader.header.map((header) => ({ header, width: 16, style: { numFmt: '@' } })),
        { header: REPORT_ERRORS_HEADER, width: 60 },
        { header: REPORT_ROW_HEADER, width: 12 },
      ];
      sheet.getRow(1).font = { bold: true };
      const problems = this.problemsInRowOrder(job);
      let next = await problems.next();
      for await (const row of reader.rows()) {
        while (!next.done && next.value.row < row.rowNumber) next = await problems.next();
        if (next.done) break;
        if (next.value.row !== row.rowNumber) continue;
        const messages: string[] = [];
        while (!next.done && next.value.row === row.rowNumber) {
          messages.push(next.value.messageRu);
          next = await problems.next();
        }
        sheet.addRow([...row.original, messages.join('\n'), row.rowNumber]).commit();
        if (output.writableNeedDrain) await once(output, 'drain');
      }
      sheet.commit();
      await workbook.commit();
    } finally {
      await reader.close();
    }
  }

  private async *problemsInRowOrder(job: ImportJobEntity): AsyncGenerator<ImportErrorEntity> {
    let after = { row: 0, id: '0' };
    for (;;) {
      const page = await this.dataSource
        .getRepository(ImportErrorEntity)
        .createQueryBuilder('e')
        .where('e.organization_id = :organizationId AND e.job_id = :jobId', {
          organizationId: job.organizationId,
          jobId: job.id,
        })
        .andWhere('(e.row, e.id) > (:row, :id)', after)
        .orderBy('e.row')
        .addOrderBy('e.id')
        .limit(PAGE)
        .getMany();
      yield* page;
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      after = { row: last.row, id: last.id };
    }
  }
}
