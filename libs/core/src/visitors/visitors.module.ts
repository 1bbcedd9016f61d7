import { Module } from '@nestjs/common';
import { VisitorMergeService } from './visitor-merge.service';
import { VisitorsService } from './visitors.service';

/** Visitors (référentiel C1.2): identify the public, recognise a returning person, merge duplicates. */
@Module({
  providers: [VisitorsService, VisitorMergeService],
  exports: [VisitorsService, VisitorMergeService],
})
export class VisitorsModule {}
