import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { PartnersService } from '@guichet/core/organisation/partners.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { READ_DIRECTORY, WRITE_DIRECTORY } from './directory-access';
import { SiteScopedQueryDto } from './dto/directory.dto';
import { CreatePartnerDto, PartnerDto, PartnerPageDto, UpdatePartnerDto } from './dto/partner.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('partners')
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  /** Outside partners listed by the caller's sites; `q` searches name, description and keywords. */
  @Auth(READ_DIRECTORY)
  @Get()
  @ApiOkResponse({ type: PartnerPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: SiteScopedQueryDto): Promise<PartnerPageDto> {
    return this.partners.list(principal, query);
  }

  @Auth(READ_DIRECTORY)
  @Get(':id')
  @ApiOkResponse({ type: PartnerDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<PartnerDto> {
    return this.partners.get(principal, id);
  }

  @Auth(WRITE_DIRECTORY)
  @Post()
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePartnerDto): Promise<PartnerDto> {
    return this.partners.create(principal, dto);
  }

  @Auth(WRITE_DIRECTORY)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: PartnerDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdatePartnerDto,
    @ExpectedVersion() version?: number,
  ): Promise<PartnerDto> {
    return this.partners.update(principal, id, dto, version);
  }

  @Auth(WRITE_DIRECTORY)
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
    return this.partners.remove(principal, id, version);
  }
}
