import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../../access/auth.decorators';
import { StaffRequest, StaffRestGuard } from '../../auth/staff-rest.guard';
import { Permission } from '../../kernel/role';
import { RegistryExportService } from '../export/registry-export.service';
import { writeRegistryTemplate } from '../export/registry-template';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendAsFile(response: Response, fileName: string): void {
  response.setHeader('Content-Type', XLSX);
  response.setHeader(
    'Content-Disposition',
    `attachment; filename="${encodeURIComponent(fileName)}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  );
}

/** The registry as files: the empty template («Скачать пример») and the organization's data in it. */
@Controller()
@UseGuards(StaffRestGuard)
export class RegistryController {
  constructor(private readonly exports: RegistryExportService) {}

  @Get('imports/template.xlsx')
  async template(@Res() response: Response): Promise<void> {
    sendAsFile(response, 'Шаблон реестра.xlsx');
    await writeRegistryTemplate(response);
  }

  @Get('exports/registry.xlsx')
  @RequirePermission(Permission.EXPORT_REGISTRY)
  async registry(@Req() request: StaffRequest, @Res() response: Response): Promise<void> {
    sendAsFile(response, `Реестр ${new Date().toISOString().slice(0, 10)}.xlsx`);
    await this.exports.write(request.principal, response);
  }
}
