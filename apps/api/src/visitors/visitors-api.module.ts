import { Module } from '@nestjs/common';
import { VisitorsModule } from '@guichet/core/visitors/visitors.module';
import { VisitorsController } from './visitors.controller';

@Module({ imports: [VisitorsModule], controllers: [VisitorsController] })
export class VisitorsApiModule {}
