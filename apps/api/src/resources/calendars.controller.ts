import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '@guichet/core/errors/domain-error';
import { ResourceCalendarService } from '@guichet/core/resources/resource-calendar.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Public } from '../common/auth.decorators';
import { CalendarFeedQueryDto } from './dto/resources.dto';

const FEED_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\.ics$/i;

/**
 * iCalendar feeds, for calendar apps that poll a URL and cannot send a bearer header: the secret
 * `token` of the resource (POST /resources/{id}/calendar-token) opens it. Wrong token = 404.
 */
@ApiTags('resources')
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: ResourceCalendarService) {}

  @Public()
  @Get('resources/:file')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'The bookings of the resource from 30 days ago to a year ahead (cancelled ones as CANCELLED)' })
  @ApiProblems(400, 404)
  async resourceFeed(@Param('file') file: string, @Query() query: CalendarFeedQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const match = FEED_FILE.exec(file);
    if (!match) throw new NotFoundError('Calendar');
    const body = await this.calendars.feed(match[1].toLowerCase(), query.token);
    reply.header('content-type', 'text/calendar; charset=utf-8');
    reply.header('cache-control', 'private, max-age=60');
    return body;
  }
}
