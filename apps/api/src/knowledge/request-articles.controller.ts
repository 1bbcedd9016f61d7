import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { RequestArticlesService } from '@guichet/core/knowledge/request-articles.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { LinkArticleDto, LinkedArticleDto, RequestArticleLinkDto } from './dto/articles.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** The articles an agent answered a request with. Any user of the request's site; not open to keys. */
@ApiTags('knowledge')
@Controller('requests/:requestId/articles')
export class RequestArticlesController {
  constructor(private readonly links: RequestArticlesService) {}

  @Auth()
  @Get()
  @ApiOkResponse({ type: [LinkedArticleDto] })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Param('requestId', uuid) requestId: string): Promise<LinkedArticleDto[]> {
    return this.links.list(principal, requestId);
  }

  /** Idempotent: linking the same article again returns the first link. The article must be of the request's site (422). */
  @Auth()
  @Post()
  @ApiCreatedResponse({ type: RequestArticleLinkDto })
  @ApiProblems(400, 404, 422)
  link(
    @CurrentPrincipal() principal: Principal,
    @Param('requestId', uuid) requestId: string,
    @Body() dto: LinkArticleDto,
  ): Promise<RequestArticleLinkDto> {
    return this.links.link(principal, requestId, dto.articleId);
  }

  @Auth()
  @Delete(':articleId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  unlink(
    @CurrentPrincipal() principal: Principal,
    @Param('requestId', uuid) requestId: string,
    @Param('articleId', uuid) articleId: string,
  ): Promise<void> {
    return this.links.unlink(principal, requestId, articleId);
  }
}
