import { Module } from '@nestjs/common';
import { HandoverModule } from '@guichet/core/handover/handover.module';
import { HandoverController } from './handover.controller';

@Module({ imports: [HandoverModule], controllers: [HandoverController] })
export class HandoverApiModule {}
