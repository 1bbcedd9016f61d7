import { Module } from '@nestjs/common';
import { ArticlesService } from './articles.service';
import { KnowledgeCategoriesService } from './knowledge-categories.service';
import { KnowledgeReportService } from './knowledge-report.service';
import { RequestArticlesService } from './request-articles.service';

/** Knowledge base (référentiel C1.4, "informer"): articles, their category tree, their use in requests. */
@Module({
  providers: [ArticlesService, KnowledgeCategoriesService, RequestArticlesService, KnowledgeReportService],
  exports: [ArticlesService, KnowledgeCategoriesService, RequestArticlesService, KnowledgeReportService],
})
export class KnowledgeModule {}
