import { Module } from '@nestjs/common';
import { ResidentPresenceService } from './resident-presence.service';

@Module({ providers: [ResidentPresenceService], exports: [ResidentPresenceService] })
export class ResidentPresenceModule {}
