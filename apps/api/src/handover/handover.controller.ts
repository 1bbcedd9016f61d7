import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HandoverService } from '@guichet/core/handover/handover.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  CloseLogbookEntryDto,
  CreateHandoverNoteDto,
  CreateLogbookEntryDto,
  HandoverNoteDto,
  HandoverNotePageDto,
  HandoverNoteQueryDto,
  HandoverSummaryDto,
  LogbookEntryDto,
  LogbookPageDto,
  LogbookQueryDto,
  SiteQueryDto,
} from './dto/handover.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('handover')
@Controller()
export class HandoverController {
  constructor(private readonly handover: HandoverService) {}

  /** A logbook (main courante) entry; it stays open, and listed at every handover, until closed. Live: `logbook.entry_created`. */
  @Auth()
  @Post('logbook-entries')
  @ApiCreatedResponse({ type: LogbookEntryDto })
  @ApiProblems(400, 404)
  createEntry(@CurrentPrincipal() principal: Principal, @Body() dto: CreateLogbookEntryDto): Promise<LogbookEntryDto> {
    return this.handover.createEntry(principal, dto);
  }

  /** Open entries first (high priority, oldest first), then closed ones, latest first. */
  @Auth()
  @Get('logbook-entries')
  @ApiOkResponse({ type: LogbookPageDto })
  @ApiProblems(400, 404)
  listEntries(@CurrentPrincipal() principal: Principal, @Query() query: LogbookQueryDto): Promise<LogbookPageDto> {
    return this.handover.listEntries(principal, query);
  }

  /** Closes with a comment (who and when are recorded); 409 already_closed. Live: `logbook.entry_closed`. */
  @Auth()
  @Post('logbook-entries/:id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: LogbookEntryDto })
  @ApiProblems(400, 404, 409)
  closeEntry(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CloseLogbookEntryDto): Promise<LogbookEntryDto> {
    return this.handover.closeEntry(principal, id, dto.comment);
  }

  /** The outgoing agent's note, with a snapshot of their open tickets, requests, tasks and callbacks. Live: `handover.note_created`. */
  @Auth()
  @Post('handover-notes')
  @ApiCreatedResponse({ type: HandoverNoteDto })
  @ApiProblems(400, 404)
  createNote(@CurrentPrincipal() principal: Principal, @Body() dto: CreateHandoverNoteDto): Promise<HandoverNoteDto> {
    return this.handover.createNote(principal, dto);
  }

  @Auth()
  @Get('handover-notes')
  @ApiOkResponse({ type: HandoverNotePageDto })
  @ApiProblems(400, 404)
  listNotes(@CurrentPrincipal() principal: Principal, @Query() query: HandoverNoteQueryDto): Promise<HandoverNotePageDto> {
    return this.handover.listNotes(principal, query);
  }

  /** "I have read it": once per incoming agent (409 already_acknowledged), never by the author (422 own_note). */
  @Auth()
  @Post('handover-notes/:id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: HandoverNoteDto })
  @ApiProblems(400, 404, 409, 422)
  acknowledge(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<HandoverNoteDto> {
    return this.handover.acknowledge(principal, id);
  }

  /** Taking over: notes to acknowledge, open logbook entries carried over, and the caller's own open items. */
  @Auth()
  @Get('handover')
  @ApiOkResponse({ type: HandoverSummaryDto })
  @ApiProblems(400, 404)
  summary(@CurrentPrincipal() principal: Principal, @Query() query: SiteQueryDto): Promise<HandoverSummaryDto> {
    return this.handover.summary(principal, query.siteId);
  }
}
