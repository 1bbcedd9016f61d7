import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { ResourcesService } from '@guichet/core/resources/resources.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, AuthRule, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  AvailabilityDto,
  AvailabilityQueryDto,
  CalendarTokenDto,
  CreateResourceDto,
  ResourceDto,
  ResourcePageDto,
  ResourceQueryDto,
  UpdateResourceDto,
} from './dto/resources.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Every user of a site sees its rooms and equipment; a key needs a bookings scope. */
export const READ_RESOURCES: AuthRule = { scopes: ['bookings:read', 'bookings:write'] };
/** The list of rooms and equipment is kept by supervisors and admins. */
const MANAGE_RESOURCES: AuthRule = { minRole: 'supervisor' };

/** Rooms and equipment that can be booked (C2.2 "organiser une réunion : salle, matériel"). */
@ApiTags('resources')
@Controller('resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Auth(READ_RESOURCES)
  @Get()
  @ApiOkResponse({ type: ResourcePageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ResourceQueryDto): Promise<ResourcePageDto> {
    return this.resources.list(principal, query);
  }

  /**
   * Free/busy of active rooms and equipment over a range. With `kind=room&minCapacity=N&freeOnly=true`:
   * the rooms free for N people over the whole range, smallest first.
   */
  @Auth(READ_RESOURCES)
  @Get('availability')
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiProblems(400, 404)
  availability(@CurrentPrincipal() principal: Principal, @Query() query: AvailabilityQueryDto): Promise<AvailabilityDto> {
    return this.resources.availability(principal, query);
  }

  @Auth(READ_RESOURCES)
  @Get(':id')
  @ApiOkResponse({ type: ResourceDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<ResourceDto> {
    return this.resources.get(principal, id);
  }

  @Auth(MANAGE_RESOURCES)
  @Post()
  @ApiCreatedResponse({ type: ResourceDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateResourceDto): Promise<ResourceDto> {
    return this.resources.create(principal, dto);
  }

  @Auth(MANAGE_RESOURCES)
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: ResourceDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateResourceDto,
    @ExpectedVersion() version?: number,
  ): Promise<ResourceDto> {
    return this.resources.update(principal, id, dto, version);
  }

  /** Only a resource never booked; one with bookings is deactivated instead (409 resource_in_use). */
  @Auth(MANAGE_RESOURCES)
  @Delete(':id')
  @HttpCode(204)
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @ExpectedVersion() version?: number): Promise<void> {
    return this.resources.remove(principal, id, version);
  }

  /** A new secret for the resource's iCalendar feed (shown once); the previous URL stops working. */
  @Auth(MANAGE_RESOURCES)
  @Post(':id/calendar-token')
  @ApiCreatedResponse({ type: CalendarTokenDto })
  @ApiProblems(400, 404)
  rotateCalendarToken(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CalendarTokenDto> {
    return this.resources.rotateCalendarToken(principal, id);
  }
}
