import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { RequestCategoriesService } from '@guichet/core/requests/request-categories.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  CreateRequestCategoryDto,
  RequestCategoryDto,
  RequestCategoryPageDto,
  RequestCategoryQueryDto,
  UpdateRequestCategoryDto,
} from './dto/request-category.dto';
import { MANAGE_CATEGORIES, READ_REQUESTS } from './requests-access';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('requests')
@Controller('requests/categories')
export class RequestCategoriesController {
  constructor(private readonly categories: RequestCategoriesService) {}

  /** The taxonomy of the caller's sites (or one), each tree walked depth first; `path` gives the ancestry. */
  @Auth(READ_REQUESTS)
  @Get()
  @ApiOkResponse({ type: RequestCategoryPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: RequestCategoryQueryDto): Promise<RequestCategoryPageDto> {
    return this.categories.list(principal, query);
  }

  @Auth(READ_REQUESTS)
  @Get(':id')
  @ApiOkResponse({ type: RequestCategoryDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<RequestCategoryDto> {
    return this.categories.get(principal, id);
  }

  @Auth(MANAGE_CATEGORIES)
  @Post()
  @ApiCreatedResponse({ type: RequestCategoryDto })
  @ApiProblems(400, 404, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateRequestCategoryDto): Promise<RequestCategoryDto> {
    return this.categories.create(principal, dto);
  }

  @Auth(MANAGE_CATEGORIES)
  @Patch(':id')
  @ApiOkResponse({ type: RequestCategoryDto })
  @ApiProblems(400, 404, 409, 422)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateRequestCategoryDto,
  ): Promise<RequestCategoryDto> {
    return this.categories.update(principal, id, dto);
  }

  /** Only an unused category without subcategories can be deleted (409 `category_in_use`); deactivate the others. */
  @Auth(MANAGE_CATEGORIES)
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.categories.remove(principal, id);
  }
}
