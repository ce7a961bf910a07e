import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { PremisesResolver } from './premises.resolver';
import { PremisesService } from './premises.service';

@Module({
  imports: [BuildingsModule],
  providers: [PremisesService, PremisesResolver],
  exports: [PremisesService],
})
export class PremisesModule {}
