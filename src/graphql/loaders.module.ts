import { Module } from '@nestjs/common';
import { BuildingsModule } from '../buildings/buildings.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RequestLoadersFactory } from './request-loaders';

@Module({
  imports: [BuildingsModule, OrganizationsModule],
  providers: [RequestLoadersFactory],
  exports: [RequestLoadersFactory],
})
export class LoadersModule {}
