import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { KnowledgeCategoriesService } from '@guichet/core/knowledge/knowledge-categories.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  CreateKnowledgeCategoryDto,
  KnowledgeCategoryDto,
  KnowledgeCategoryPageDto,
  KnowledgeCategoryQueryDto,
  UpdateKnowledgeCategoryDto,
} from './dto/knowledge-categories.dto';
import { READ_KNOWLEDGE, WRITE_KNOWLEDGE } from './knowledge-access';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('knowledge')
@Controller('knowledge/categories')
export class KnowledgeCategoriesController {
  constructor(private readonly categories: KnowledgeCategoriesService) {}

  /** Flat and sorted by name; build the tree from `parentId`. */
  @Auth(READ_KNOWLEDGE)
  @Get()
  @ApiOkResponse({ type: KnowledgeCategoryPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: KnowledgeCategoryQueryDto): Promise<KnowledgeCategoryPageDto> {
    return this.categories.list(principal, query);
  }

  @Auth(READ_KNOWLEDGE)
  @Get(':id')
  @ApiOkResponse({ type: KnowledgeCategoryDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<KnowledgeCategoryDto> {
    return this.categories.get(principal, id);
  }

  @Auth(WRITE_KNOWLEDGE)
  @Post()
  @ApiCreatedResponse({ type: KnowledgeCategoryDto })
  @ApiProblems(400, 404, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateKnowledgeCategoryDto): Promise<KnowledgeCategoryDto> {
    return this.categories.create(principal, dto);
  }

  /** Renames or moves the category (never under itself or one of its subcategories). */
  @Auth(WRITE_KNOWLEDGE)
  @Patch(':id')
  @ApiOkResponse({ type: KnowledgeCategoryDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateKnowledgeCategoryDto,
  ): Promise<KnowledgeCategoryDto> {
    return this.categories.update(principal, id, dto);
  }

  /** Only a category without subcategories (409 `category_not_empty`); its articles become uncategorised. */
  @Auth(WRITE_KNOWLEDGE)
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.categories.remove(principal, id);
  }
}
