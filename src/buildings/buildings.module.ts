import { Module } from '@nestjs/common';
import { BuildingsResolver, ReferenceSheetResolver } from './buildings.resolver';
import { BuildingsService } from './buildings.service';

@Module({
  providers: [BuildingsService, BuildingsResolver, ReferenceSheetResolver],
  exports: [BuildingsService],
})
export class BuildingsModule {}
