import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CounterSessionsService } from '@guichet/core/flow/counters.service';
import { FlowConfigService } from '@guichet/core/flow/flow-config.service';
import { TicketsService } from '@guichet/core/flow/tickets.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ExpectedVersion } from '../common/expected-version';
import { CounterDto, CounterStateDto, CreateCounterDto, OpenCounterDto, PauseCounterDto, SiteFilterDto, UpdateCounterDto } from './dto/flow-config.dto';
import { CallSpecificDto, TicketDto } from './dto/tickets.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('counters')
@Controller('counters')
export class CountersController {
  constructor(
    private readonly config: FlowConfigService,
    private readonly sessions: CounterSessionsService,
    private readonly tickets: TicketsService,
  ) {}

  @Auth({ scopes: ['tickets:read'] })
  @Get()
  @ApiOkResponse({ type: [CounterDto] })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: SiteFilterDto): Promise<CounterDto[]> {
    return this.config.listCounters(principal, query.siteId);
  }

  @Auth({ scopes: ['tickets:read'] })
  @Get(':id')
  @ApiOkResponse({ type: CounterDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CounterDto> {
    return this.config.getCounter(principal, id);
  }

  @Auth({ minRole: 'supervisor' })
  @Post()
  @ApiCreatedResponse({ type: CounterDto })
  @ApiProblems(400, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCounterDto): Promise<CounterDto> {
    return this.config.createCounter(principal, dto);
  }

  /** Change a counter, including the queues it serves (moves the agent at it to other queues). */
  @Auth({ minRole: 'supervisor' })
  @Patch(':id')
  @ApiIfMatch()
  @ApiOkResponse({ type: CounterDto })
  @ApiProblems(400, 404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateCounterDto,
    @ExpectedVersion() version?: number,
  ): Promise<CounterDto> {
    const { version: bodyVersion, ...patch } = dto;
    return this.config.updateCounter(principal, id, patch, version ?? bodyVersion);
  }

  /** The agent takes the counter (optionally serving only some of its queues). */
  @Auth()
  @Post(':id/open')
  @HttpCode(200)
  @ApiOkResponse({ type: CounterStateDto })
  @ApiProblems(400, 404, 409, 422)
  open(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: OpenCounterDto): Promise<CounterStateDto> {
    return this.sessions.open(principal, id, dto.queueIds);
  }

  @Auth()
  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: CounterStateDto })
  @ApiProblems(400, 404, 409, 422)
  pause(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: PauseCounterDto): Promise<CounterStateDto> {
    return this.sessions.pause(principal, id, dto.reason);
  }

  @Auth()
  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: CounterStateDto })
  @ApiProblems(400, 404, 422)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CounterStateDto> {
    return this.sessions.resume(principal, id);
  }

  @Auth()
  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CounterStateDto })
  @ApiProblems(400, 404, 409, 422)
  close(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<CounterStateDto> {
    return this.sessions.close(principal, id);
  }

  /** One keystroke at the desk: 200 with the called ticket, or 204 when nothing waits. */
  @Auth()
  @Post(':id/call-next')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiNoContentResponse({ description: 'No ticket waits in the counter’s queues' })
  @ApiProblems(400, 404, 409, 422)
  async callNext(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketDto | undefined> {
    const ticket = await this.tickets.callNext(principal, id);
    if (!ticket) {
      reply.status(204);
      return undefined;
    }
    return ticket;
  }

  /** Calls a given ticket out of order (reason kept in its history). */
  @Auth()
  @Post(':id/call')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 409, 422)
  call(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: CallSpecificDto): Promise<TicketDto> {
    return this.tickets.callSpecific(principal, id, dto.ticketId, dto.reason);
  }
}
