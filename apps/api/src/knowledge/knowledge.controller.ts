import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { ArticlesService } from '@guichet/core/knowledge/articles.service';
import { KnowledgeReportService } from '@guichet/core/knowledge/knowledge-report.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ArticleDto, ArticlePageDto, ArticleQueryDto, CreateArticleDto, ReviewArticleDto, UpdateArticleDto } from './dto/articles.dto';
import { KnowledgeReportDto, KnowledgeReportQueryDto } from './dto/knowledge-report.dto';
import { READ_KNOWLEDGE, WRITE_KNOWLEDGE } from './knowledge-access';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('knowledge')
@Controller('knowledge')
export class KnowledgeController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly reports: KnowledgeReportService,
  ) {}

  /** Articles of the caller's sites, by title; with `q`, best match first. `?stale=true` lists what needs a review. */
  @Auth(READ_KNOWLEDGE)
  @Get('articles')
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ArticleQueryDto): Promise<ArticlePageDto> {
    return this.articles.list(principal, query);
  }

  @Auth(READ_KNOWLEDGE)
  @Get('articles/:id')
  @ApiOkResponse({ type: ArticleDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ArticleDto> {
    return this.articles.get(principal, id);
  }

  /** Creating an article counts as reviewing it (unless `reviewedAt` says when it last was). */
  @Auth(WRITE_KNOWLEDGE)
  @Post('articles')
  @ApiCreatedResponse({ type: ArticleDto })
  @ApiProblems(400, 404, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateArticleDto): Promise<ArticleDto> {
    return this.articles.create(principal, dto);
  }

  /** Editing does not count as a review: use the review route once the content is checked. */
  @Auth(WRITE_KNOWLEDGE)
  @Patch('articles/:id')
  @ApiIfMatch()
  @ApiOkResponse({ type: ArticleDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateArticleDto,
    @ExpectedVersion() version?: number,
  ): Promise<ArticleDto> {
    return this.articles.update(principal, id, { ...dto, version: version ?? dto.version });
  }

  /** Marks the article checked against its source now, which clears `stale` unless a due date says otherwise. */
  @Auth(WRITE_KNOWLEDGE)
  @Post('articles/:id/review')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiOkResponse({ type: ArticleDto })
  @ApiProblems(400, 404, 409)
  review(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReviewArticleDto,
    @ExpectedVersion() version?: number,
  ): Promise<ArticleDto> {
    return this.articles.review(principal, id, { ...dto, version: version ?? dto.version });
  }

  /** An article linked to requests cannot be deleted (409 `article_in_use`): the report counts it; unpublish it instead. */
  @Auth(WRITE_KNOWLEDGE)
  @Delete('articles/:id')
  @HttpCode(204)
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @ExpectedVersion() version?: number): Promise<void> {
    return this.articles.remove(principal, id, version);
  }

  /** Most used articles and "missing answers" (information given with no article linked), by request category. */
  @Auth(WRITE_KNOWLEDGE)
  @Get('report')
  @ApiOkResponse({ type: KnowledgeReportDto })
  @ApiProblems(400, 404)
  report(@CurrentPrincipal() principal: Principal, @Query() query: KnowledgeReportQueryDto): Promise<KnowledgeReportDto> {
    return this.reports.report(principal, query);
  }
}
