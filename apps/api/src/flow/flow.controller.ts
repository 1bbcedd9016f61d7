import { Controller, Get, Param, ParseUUIDPipe, Post, Query, HttpCode } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CounterSessionsService } from '@guichet/core/flow/counters.service';
import { FlowSnapshot, FlowSnapshotService } from '@guichet/core/flow/flow-snapshot.service';
import { TicketsService } from '@guichet/core/flow/tickets.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal, Public } from '../common/auth.decorators';
import { DayQueryDto } from './dto/flow-config.dto';
import { PublicTicketDto } from './dto/tickets.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('flow')
@Controller()
export class FlowController {
  constructor(
    private readonly snapshots: FlowSnapshotService,
    private readonly sessions: CounterSessionsService,
    private readonly tickets: TicketsService,
  ) {}

  /** The live state of a site with the seq it corresponds to: resync point for consoles and displays. */
  @Auth({ scopes: ['tickets:read', 'display', 'kiosk'] })
  @Get('sites/:id/flow')
  @ApiOkResponse({ description: 'Snapshot `{seq, queues, counters, lastCalls}`' })
  @ApiProblems(400, 404)
  snapshot(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<FlowSnapshot> {
    return this.snapshots.snapshot(principal, id);
  }

  @Auth()
  @Get('sites/:id/pause-reasons')
  @ApiProblems(400, 404)
  async pauseReasons(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<{ code: string; label: string }[]> {
    return this.sessions.listPauseReasons(principal, id);
  }

  /** Seconds spent available, serving and paused by each agent on a day. */
  @Auth({ minRole: 'supervisor' })
  @Get('sites/:id/agent-states')
  @ApiProblems(400, 404)
  agentStates(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: DayQueryDto,
  ): Promise<{ userId: string; state: string; seconds: number }[]> {
    return this.sessions.stateDurations(principal, id, query.day);
  }

  /** Public follow-up page data for the QR code on a ticket (no personal data). */
  @Public()
  @Get('public/tickets/:token')
  @ApiOkResponse({ type: PublicTicketDto })
  @ApiProblems(404)
  publicTicket(@Param('token') token: string): Promise<PublicTicketDto> {
    return this.tickets.publicView(token);
  }

  @Public()
  @Post('public/tickets/:token/cancel')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(404, 422)
  cancelPublic(@Param('token') token: string): Promise<void> {
    return this.tickets.cancelByToken(token);
  }
}
