import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { PremisesModule } from '../premises/premises.module';
import { ImportErrorReportService } from './export/import-error-report.service';
import { ImportJobsService } from './job/import-jobs.service';
import { ImportProgressModule } from './import-progress.module';
import { RegistryBatchService } from './write/registry-batch.service';
import { PruneImportsJob } from './job/prune-imports.job';
import { RegistryImportJob } from './job/registry-import.job';

/**
 * The import's engine, in every process role: the `imports` queue handler runs wherever jobs are
 * processed (a worker, or the single process), and the API enqueues through the same class.
 */
@Module({
  imports: [BuildingsModule, PremisesModule, AccountsModule, ClientsModule, OccupancyModule, ImportProgressModule],
  providers: [ImportJobsService, RegistryBatchService, RegistryImportJob, ImportErrorReportService, PruneImportsJob],
  exports: [ImportJobsService, RegistryImportJob, ImportErrorReportService],
})
export class ImportJobsModule {}
