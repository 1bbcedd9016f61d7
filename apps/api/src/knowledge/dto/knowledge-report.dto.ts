import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ARTICLE_KINDS, type ArticleKind } from '@guichet/core/knowledge/article-rules';
import { IsCalendarDate, IsNotBefore } from '@guichet/core/organisation/organisation.validators';

export class KnowledgeReportQueryDto {
  @IsUUID('4')
  siteId: string;

  /** First day (YYYY-MM-DD, the site's calendar). Default: 29 days before `to`. */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** Last day, included. Default: today. At most 366 days after `from`. */
  @IsOptional()
  @IsCalendarDate()
  @IsNotBefore('from')
  to?: string;

  /** Rows in each list (at most 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
}

export class UsedArticleDto {
  articleId: string;
  title: string;
  @ApiProperty({ enum: ARTICLE_KINDS })
  kind: ArticleKind;
  published: boolean;
  stale: boolean;
  /** Requests of the period it was linked to. */
  requestCount: number;
}

export class MissingAnswerExampleDto {
  requestId: string;
  subject: string;
}

export class MissingAnswersDto {
  /** Request category; null for requests filed without one. */
  categoryId: string | null;
  categoryName: string | null;
  /** "Information" requests of the period with no article linked. */
  count: number;
  /** The latest few of them. */
  examples: MissingAnswerExampleDto[];
}

export class KnowledgeReportDto {
  siteId: string;
  from: string;
  to: string;
  /** Requests of the period whose outcome is `information`. */
  informationRequests: number;
  /** Of those, how many have an article linked. */
  withArticle: number;
  /** Articles by number of requests of the period they answered. */
  mostUsed: UsedArticleDto[];
  /** Information given without an article, by request category: what to write next. */
  missingAnswers: MissingAnswersDto[];
}
