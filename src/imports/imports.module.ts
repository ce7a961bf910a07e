import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { PremisesModule } from '../premises/premises.module';
import { ImportJobsModule } from './import-jobs.module';
import { ImportProgressModule } from './import-progress.module';
import { ImportProgressResolver } from './api/import-progress.resolver';
import { ImportUploadController } from './api/import-upload.controller';
import { ImportsResolver } from './api/imports.resolver';
import { RegistryController } from './api/registry.controller';
import { RegistryExportService } from './export/registry-export.service';

/** Excel in and out, as the API serves it: template, export, uploads, error reports, job queries, cancel and live progress. */
@Module({
  imports: [
    AuthModule,
    BuildingsModule,
    PremisesModule,
    AccountsModule,
    ClientsModule,
    OccupancyModule,
    ImportJobsModule,
    ImportProgressModule,
  ],
  controllers: [RegistryController, ImportUploadController],
  providers: [RegistryExportService, ImportsResolver, ImportProgressResolver],
})
export class ImportsModule {}
