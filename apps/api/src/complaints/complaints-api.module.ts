import { Module } from '@nestjs/common';
import { ComplaintsModule } from '@guichet/core/complaints/complaints.module';
import { ComplaintCategoriesController } from './complaint-categories.controller';
import { ComplaintReportsController } from './complaint-reports.controller';
import { ComplaintsController } from './complaints.controller';

@Module({ imports: [ComplaintsModule], controllers: [ComplaintCategoriesController, ComplaintsController, ComplaintReportsController] })
export class ComplaintsApiModule {}
