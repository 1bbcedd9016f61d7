import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppointmentsService } from '@guichet/core/appointments/appointments.service';
import { AppointmentCheckInService } from '@guichet/core/appointments/check-in.service';
import { NoShowService } from '@guichet/core/appointments/no-show.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { IssuedTicketDto } from '../flow/dto/tickets.dto';
import {
  AppointmentDto,
  AppointmentPageDto,
  AppointmentQueryDto,
  BookAppointmentDto,
  CancelAppointmentDto,
  CheckInByCodeDto,
  CodeLookupQueryDto,
  RescheduleAppointmentDto,
  SlotListDto,
  SlotQueryDto,
} from './dto/appointments.dto';

const uuid = new ParseUUIDPipe({ version: '4' });
const IF_MATCH = { name: 'If-Match', required: false, description: 'Version last read, e.g. "3"; 409 stale_version if it changed since' };

/**
 * Appointments (rendez-vous): booked by agents or integrators on a queue's slots, checked in at
 * the kiosk or the desk, where they become tickets (see README, ticket ordering).
 */
@ApiTags('appointments')
@Controller('appointments')
export class AppointmentsController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly checkIns: AppointmentCheckInService,
    private readonly noShows: NoShowService,
  ) {}

  /** Future slots of a queue with the places left, from its opening hours in the site's zone. */
  @Auth({ scopes: ['appointments:read', 'appointments:write'] })
  @Get('slots')
  @ApiOkResponse({ type: SlotListDto })
  @ApiProblems(400, 404)
  slots(@CurrentPrincipal() principal: Principal, @Query() query: SlotQueryDto): Promise<SlotListDto> {
    return this.appointments.slots(principal, query.queueId, query.from, query.to);
  }

  /** Books a slot. With `Idempotency-Key`, a retry returns the first booking instead of taking a second place. */
  @Auth({ scopes: ['appointments:write'] })
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-128 characters; same key + same body = same appointment' })
  @ApiCreatedResponse({ type: AppointmentDto })
  @ApiProblems(400, 404, 409, 422)
  async book(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: BookAppointmentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AppointmentDto> {
    const result = await this.appointments.book(principal, dto, key);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    reply.status(result.status);
    return result.body;
  }

  @Auth({ scopes: ['appointments:read'] })
  @Get()
  @ApiOkResponse({ type: AppointmentPageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: AppointmentQueryDto): Promise<AppointmentPageDto> {
    return this.appointments.list(principal, query);
  }

  /** The booked appointment holding a check-in code at a site. */
  @Auth({ scopes: ['appointments:read'] })
  @Get('by-code/:code')
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(400, 404)
  byCode(@CurrentPrincipal() principal: Principal, @Param('code') code: string, @Query() query: CodeLookupQueryDto): Promise<AppointmentDto> {
    return this.appointments.getByCode(principal, query.siteId, code);
  }

  /** Kiosk check-in by code: 201 with the ticket, as POST /tickets. */
  @Auth({ scopes: ['kiosk'] })
  @Post('check-in')
  @ApiCreatedResponse({ type: IssuedTicketDto })
  @ApiProblems(400, 404, 409, 422)
  checkInByCode(@CurrentPrincipal() principal: Principal, @Body() dto: CheckInByCodeDto): Promise<IssuedTicketDto> {
    return this.checkIns.checkInByCode(principal, dto.siteId, dto.code);
  }

  @Auth({ scopes: ['appointments:read'] })
  @Get(':id')
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AppointmentDto> {
    return this.appointments.get(principal, id);
  }

  @Auth({ scopes: ['appointments:write'] })
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(400, 404, 409, 422)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CancelAppointmentDto,
    @ExpectedVersion() version?: number,
  ): Promise<AppointmentDto> {
    return this.appointments.cancel(principal, id, version, dto.reason);
  }

  /** Moves the appointment to another slot of its queue; the check-in code stays the same. */
  @Auth({ scopes: ['appointments:write'] })
  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(400, 404, 409, 422)
  reschedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RescheduleAppointmentDto,
    @ExpectedVersion() version?: number,
  ): Promise<AppointmentDto> {
    return this.appointments.reschedule(principal, id, dto.startsAt, version);
  }

  /** Check-in at the desk (or a kiosk that knows the id): 201 with the ticket, as POST /tickets. */
  @Auth({ scopes: ['kiosk'] })
  @Post(':id/check-in')
  @ApiCreatedResponse({ type: IssuedTicketDto })
  @ApiProblems(400, 404, 409, 422)
  checkIn(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<IssuedTicketDto> {
    return this.checkIns.checkIn(principal, id);
  }

  /** Marks a booked appointment whose late window is over as a no-show (the worker also sweeps them). */
  @Auth()
  @Post(':id/no-show')
  @HttpCode(200)
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: AppointmentDto })
  @ApiProblems(400, 404, 409, 422)
  noShow(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @ExpectedVersion() version?: number): Promise<AppointmentDto> {
    return this.noShows.mark(principal, id, version);
  }
}
