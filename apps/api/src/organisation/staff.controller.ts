import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { StaffService } from '@guichet/core/organisation/staff.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { READ_DIRECTORY, WRITE_DIRECTORY } from './directory-access';
import { CreateStaffDto, StaffDto, StaffPageDto, StaffQueryDto, UpdateStaffDto } from './dto/staff.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('staff')
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  /** Staff of the caller's sites; filter by service or availability; `q` searches names and job titles. */
  @Auth(READ_DIRECTORY)
  @Get()
  @ApiOkResponse({ type: StaffPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: StaffQueryDto): Promise<StaffPageDto> {
    return this.staff.list(principal, query);
  }

  @Auth(READ_DIRECTORY)
  @Get(':id')
  @ApiOkResponse({ type: StaffDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<StaffDto> {
    return this.staff.get(principal, id);
  }

  @Auth(WRITE_DIRECTORY)
  @Post()
  @ApiCreatedResponse({ type: StaffDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateStaffDto): Promise<StaffDto> {
    return this.staff.create(principal, dto);
  }

  @Auth(WRITE_DIRECTORY)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: StaffDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateStaffDto,
    @ExpectedVersion() version?: number,
  ): Promise<StaffDto> {
    return this.staff.update(principal, id, dto, version);
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
    return this.staff.remove(principal, id, version);
  }
}
