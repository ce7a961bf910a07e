import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RequirePermission } from '../../access/auth.decorators';
import { StaffRequest, StaffRestGuard } from '../../auth/staff-rest.guard';
import { BadInputException } from '../../common/errors/domain.exception';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Permission } from '../../kernel/role';
import { ImportErrorReportService } from '../export/import-error-report.service';
import { ImportJobsService } from '../job/import-jobs.service';
import { RegistryImportJob } from '../job/registry-import.job';
import { uploadOptionsOf } from './upload-options';
import { receiveUpload } from './upload-receiver';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Uploads of the registry and their error reports. */
@Controller('imports')
@UseGuards(StaffRestGuard)
export class ImportUploadController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: ImportJobsService,
    private readonly runner: RegistryImportJob,
    private readonly reports: ImportErrorReportService,
  ) {}

  /** Answers at once with the job id; the file is checked and loaded by the `imports` queue. */
  @Post()
  @HttpCode(202)
  @RequirePermission(Permission.IMPORT_REGISTRY)
  async upload(@Req() request: StaffRequest): Promise<{ id: string; status: string }> {
    const { dir, maxUploadBytes } = this.config.imports;
    const { fields, file } = await receiveUpload(request, dir, maxUploadBytes);
    try {
      const { mode, sync, allowAccountMoves } = uploadOptionsOf(fields);
      if (!file)
        throw BadInputException.field(
          'file',
          'приложите файл .xlsx или .csv в поле file',
          'attach an .xlsx or .csv file in the field "file"',
        );
      const description = { mode, sync, allowAccountMoves, fileName: file.originalName, fileSize: file.size };
      if (file.tooLarge) {
        await rm(join(dir, file.storedName), { force: true });
        const megabytes = Math.round(maxUploadBytes / 1024 / 1024);
        const job = await this.jobs.create(request.principal, description, {
          code: 'TOO_LARGE',
          ru: `Файл больше ${megabytes} МБ: разделите его на части или сохраните без лишних листов и форматирования`,
          en: `The file is larger than ${megabytes} MB: split it or save it without extra sheets and formatting`,
        });
        return { id: job.id, status: job.status };
      }
      const job = await this.jobs.create(request.principal, description);
      await this.jobs.setStoredFile(job.organizationId, job.id, file.storedName);
      job.storedFile = file.storedName;
      try {
        await this.runner.enqueue(job);
      } catch (error) {
        await this.jobs.failToEnqueue(job);
        throw error;
      }
      return { id: job.id, status: job.status };
    } catch (error) {
      if (file) await rm(join(dir, file.storedName), { force: true });
      throw error;
    }
  }

  /** The rows that had problems, as they were in the file, with a column saying what is wrong. */
  @Get(':id/errors.xlsx')
  @RequirePermission(Permission.IMPORT_REGISTRY)
  async errors(@Req() request: StaffRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const job = await this.jobs.get(request.principal.organizationId, id);
    const name = `Ошибки импорта ${job.fileName.replace(/\.(xlsx|csv)$/i, '')}.xlsx`;
    response.setHeader('Content-Type', XLSX);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    await this.reports.write(job, response);
  }
}
