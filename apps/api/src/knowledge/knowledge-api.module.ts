import { Module } from '@nestjs/common';
import { KnowledgeModule } from '@guichet/core/knowledge/knowledge.module';
import { KnowledgeCategoriesController } from './knowledge-categories.controller';
import { KnowledgeController } from './knowledge.controller';
import { RequestArticlesController } from './request-articles.controller';

@Module({ imports: [KnowledgeModule], controllers: [KnowledgeController, KnowledgeCategoriesController, RequestArticlesController] })
export class KnowledgeApiModule {}
