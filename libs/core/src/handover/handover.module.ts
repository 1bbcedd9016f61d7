import { Module } from '@nestjs/common';
import { HandoverService } from './handover.service';

@Module({ providers: [HandoverService], exports: [HandoverService] })
export class HandoverModule {}
