import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ComplaintCategoriesService } from '@guichet/core/complaints/complaint-categories.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { MANAGE_COMPLAINT_CATEGORIES, READ_COMPLAINTS } from './complaints-access';
import {
  ComplaintCategoryDto,
  ComplaintCategoryQueryDto,
  CreateComplaintCategoryDto,
  UpdateComplaintCategoryDto,
} from './dto/complaint-category.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Complaint categories (the reasons) of a site, each with its SLA. A changed SLA applies to complaints received afterwards. */
@ApiTags('complaints')
@Controller('complaint-categories')
export class ComplaintCategoriesController {
  constructor(private readonly categories: ComplaintCategoriesService) {}

  @Auth(READ_COMPLAINTS)
  @Get()
  @ApiOkResponse({ type: [ComplaintCategoryDto] })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ComplaintCategoryQueryDto): Promise<ComplaintCategoryDto[]> {
    return this.categories.list(principal, query.siteId);
  }

  @Auth(MANAGE_COMPLAINT_CATEGORIES)
  @Post()
  @ApiCreatedResponse({ type: ComplaintCategoryDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateComplaintCategoryDto): Promise<ComplaintCategoryDto> {
    return this.categories.create(principal, dto);
  }

  @Auth(READ_COMPLAINTS)
  @Get(':id')
  @ApiOkResponse({ type: ComplaintCategoryDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ComplaintCategoryDto> {
    return this.categories.get(principal, id);
  }

  /** Renames, (de)activates or changes the SLA. */
  @Auth(MANAGE_COMPLAINT_CATEGORIES)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: ComplaintCategoryDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateComplaintCategoryDto,
    @ExpectedVersion() version?: number,
  ): Promise<ComplaintCategoryDto> {
    return this.categories.update(principal, id, dto, version);
  }
}
