import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { SitesService } from '@guichet/core/organisation/sites.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { MANAGE_SITES, READ_DIRECTORY } from './directory-access';
import { CreateSiteDto, SiteDto, SitePageDto, SiteQueryDto, UpdateSiteDto } from './dto/site.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('sites')
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  /** The caller's sites. */
  @Auth(READ_DIRECTORY)
  @Get()
  @ApiOkResponse({ type: SitePageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: SiteQueryDto): Promise<SitePageDto> {
    return this.sites.list(principal, query);
  }

  @Auth(READ_DIRECTORY)
  @Get(':id')
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<SiteDto> {
    return this.sites.get(principal, id);
  }

  /** The creating admin is given access to the new site. */
  @Auth(MANAGE_SITES)
  @Post()
  @ApiCreatedResponse({ type: SiteDto })
  @ApiProblems(400, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSiteDto): Promise<SiteDto> {
    return this.sites.create(principal, dto);
  }

  @Auth(MANAGE_SITES)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSiteDto,
    @ExpectedVersion() version?: number,
  ): Promise<SiteDto> {
    return this.sites.update(principal, id, dto, version);
  }

  /** Only an empty site (no services, staff or partners) can be deleted: 409 `site_not_empty` otherwise. */
  @Auth(MANAGE_SITES)
  @Delete(':id')
  @ApiIfMatch()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @ExpectedVersion() version?: number,
  ): Promise<void> {
    return this.sites.remove(principal, id, version);
  }
}
