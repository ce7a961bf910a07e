import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { PremisesModule } from '../premises/premises.module';
import { ClientOccupancyResolver, OccupancyResolver, PremisesOccupancyResolver } from './occupancy.resolver';
import { OccupancyService } from './occupancy.service';

@Module({
  imports: [ClientsModule, PremisesModule],
  providers: [OccupancyService, OccupancyResolver, PremisesOccupancyResolver, ClientOccupancyResolver],
  exports: [OccupancyService],
})
export class OccupancyModule {}
