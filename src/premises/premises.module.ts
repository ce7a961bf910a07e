import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { PremisesImportWriter } from './premises-import.writer';
import { PremisesReads } from './premises-reads.service';
import { PremisesResolver } from './premises.resolver';
import { PremisesSearch } from './premises-search.service';
import { PremisesService } from './premises.service';

@Module({
  imports: [BuildingsModule],
  providers: [PremisesService, PremisesSearch, PremisesReads, PremisesImportWriter, PremisesResolver],
  exports: [PremisesService, PremisesSearch, PremisesReads, PremisesImportWriter],
})
export class PremisesModule {}
