import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AgendaService } from '@guichet/core/agenda/agenda.service';
import { NotFoundError } from '@guichet/core/errors/domain-error';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal, Public } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import { AgendaDto, AgendaQueryDto, CreateMeetingDto, FeedQueryDto, FeedTokenDto, MeetingDto, UpdateMeetingDto } from './dto/agenda.dto';

const uuid = new ParseUUIDPipe({ version: '4' });
const ICS_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.ics$/i;

@ApiTags('agenda')
@Controller()
export class AgendaController {
  constructor(private readonly agenda: AgendaService) {}

  /** Live (private to the owner's rooms): `meeting.changed`. */
  @Auth()
  @Post('meetings')
  @ApiCreatedResponse({ type: MeetingDto })
  @ApiProblems(400, 404, 422)
  createMeeting(@CurrentPrincipal() principal: Principal, @Body() dto: CreateMeetingDto): Promise<MeetingDto> {
    return this.agenda.createMeeting(principal, dto);
  }

  @Auth()
  @Get('meetings/:id')
  @ApiOkResponse({ type: MeetingDto })
  @ApiProblems(400, 404)
  getMeeting(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<MeetingDto> {
    return this.agenda.getMeeting(principal, id);
  }

  /** Same rules as creation (end after start, owners of the site). Live: `meeting.changed` (updated), to former and new owners. */
  @Auth()
  @Patch('meetings/:id')
  @ApiIfMatch()
  @ApiOkResponse({ type: MeetingDto })
  @ApiProblems(400, 404, 409, 422)
  updateMeeting(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateMeetingDto,
    @ExpectedVersion() version?: number,
  ): Promise<MeetingDto> {
    return this.agenda.updateMeeting(principal, id, dto, version);
  }

  @Auth()
  @Delete('meetings/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  deleteMeeting(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.agenda.deleteMeeting(principal, id);
  }

  /**
   * Appointments, meetings, tasks (by due date) and callbacks (by deadline) of a user (default: the
   * caller) or a service, by start time. Agents read their own and their service's.
   */
  @Auth()
  @Get('agenda')
  @ApiOkResponse({ type: AgendaDto })
  @ApiProblems(400, 404)
  read(@CurrentPrincipal() principal: Principal, @Query() query: AgendaQueryDto): Promise<AgendaDto> {
    return this.agenda.agenda(principal, query);
  }

  /** A new secret URL for the caller's iCalendar feed; the previous one stops working. */
  @Auth()
  @Post('calendars/feed-token')
  @ApiCreatedResponse({ type: FeedTokenDto })
  @ApiProblems()
  rotateFeedToken(@CurrentPrincipal() principal: Principal): Promise<FeedTokenDto> {
    return this.agenda.rotateFeedToken(principal);
  }

  @Auth()
  @Delete('calendars/feed-token')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(404)
  revokeFeedToken(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.agenda.revokeFeedToken(principal);
  }

  /**
   * The agent's agenda as iCalendar (`{userId}.ics?token=…`), for calendar apps that cannot send a
   * bearer header: the secret token authorises it. A wrong token is 404, like an unknown user.
   */
  @Public()
  @Get('calendars/agents/:file')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'RFC 5545 calendar', schema: { type: 'string' } })
  @ApiProblems(404)
  feed(@Param('file') file: string, @Query() query: FeedQueryDto): Promise<string> {
    const userId = ICS_FILE.exec(file)?.[1];
    if (!userId) throw new NotFoundError('Calendar feed');
    return this.agenda.feed(userId.toLowerCase(), query.token);
  }
}
