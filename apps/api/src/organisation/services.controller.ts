import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { ServicesService } from '@guichet/core/organisation/services.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { READ_DIRECTORY, WRITE_DIRECTORY } from './directory-access';
import { CreateServiceDto, ServiceDto, ServicePageDto, ServiceQueryDto, UpdateServiceDto } from './dto/service.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('services')
@Controller('services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  /** Services of the caller's sites; `q` searches name, description and keywords. */
  @Auth(READ_DIRECTORY)
  @Get()
  @ApiOkResponse({ type: ServicePageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ServiceQueryDto): Promise<ServicePageDto> {
    return this.services.list(principal, query);
  }

  @Auth(READ_DIRECTORY)
  @Get(':id')
  @ApiOkResponse({ type: ServiceDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ServiceDto> {
    return this.services.get(principal, id);
  }

  @Auth(WRITE_DIRECTORY)
  @Post()
  @ApiCreatedResponse({ type: ServiceDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateServiceDto): Promise<ServiceDto> {
    return this.services.create(principal, dto);
  }

  @Auth(WRITE_DIRECTORY)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: ServiceDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateServiceDto,
    @ExpectedVersion() version?: number,
  ): Promise<ServiceDto> {
    return this.services.update(principal, id, dto, version);
  }

  /** Its staff stay in the site, without a service. */
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
    return this.services.remove(principal, id, version);
  }
}
