import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { BuildingsModule } from '../buildings/buildings.module';
import { ClientsModule } from '../clients/clients.module';
import { OccupancyModule } from '../occupancy/occupancy.module';
import { PremisesModule } from '../premises/premises.module';
import { RegistryController } from './registry.controller';
import { RegistryExportService } from './registry-export.service';

/** Excel in and out. So far: the template and the export; the import job is next (issue 4). */
@Module({
  imports: [AuthModule, BuildingsModule, PremisesModule, AccountsModule, ClientsModule, OccupancyModule],
  controllers: [RegistryController],
  providers: [RegistryExportService],
})
export class ImportsModule {}
