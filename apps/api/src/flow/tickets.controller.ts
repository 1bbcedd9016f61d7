import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TicketsService } from '@guichet/core/flow/tickets.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  FinishTicketDto,
  IssuedTicketDto,
  IssueTicketDto,
  ReasonDto,
  TicketDto,
  TicketPageDto,
  TicketQueryDto,
  TransferTicketDto,
} from './dto/tickets.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  /**
   * Issues a ticket (kiosk, desk, phone, web). With `Idempotency-Key`, a retry returns the first
   * ticket instead of printing a second one.
   */
  @Auth({ scopes: ['kiosk', 'tickets:write'] })
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-128 characters; same key + same body = same ticket' })
  @ApiCreatedResponse({ type: IssuedTicketDto })
  @ApiProblems(400, 404, 409, 422)
  async issue(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: IssueTicketDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IssuedTicketDto> {
    const result = await this.tickets.issue(principal, dto, key);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    reply.status(result.status);
    return result.body;
  }

  @Auth({ scopes: ['tickets:read'] })
  @Get()
  @ApiOkResponse({ type: TicketPageDto })
  @ApiProblems(400)
  list(@CurrentPrincipal() principal: Principal, @Query() query: TicketQueryDto): Promise<TicketPageDto> {
    return this.tickets.list(principal, query);
  }

  @Auth({ scopes: ['tickets:read'] })
  @Get(':id')
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.tickets.get(principal, id);
  }

  /** Calls the ticket again at the same counter; past the queue's limit it becomes a no-show. */
  @Auth()
  @Post(':id/recall')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  recall(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.tickets.recall(principal, id);
  }

  /** The visitor is at the counter: service starts. */
  @Auth()
  @Post(':id/start')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  start(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.tickets.start(principal, id);
  }

  @Auth()
  @Post(':id/finish')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  finish(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: FinishTicketDto): Promise<TicketDto> {
    return this.tickets.finish(principal, id, dto.requestId);
  }

  @Auth()
  @Post(':id/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  noShow(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.tickets.noShow(principal, id);
  }

  /** Sends the ticket to another queue of the site, keeping its number and arrival time. */
  @Auth()
  @Post(':id/transfer')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  transfer(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: TransferTicketDto): Promise<TicketDto> {
    return this.tickets.transfer(principal, id, dto.queueId, dto.reason);
  }

  @Auth()
  @Post(':id/park')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  park(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ReasonDto): Promise<TicketDto> {
    return this.tickets.park(principal, id, dto.reason);
  }

  @Auth()
  @Post(':id/resume')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<TicketDto> {
    return this.tickets.resume(principal, id);
  }

  @Auth({ scopes: ['tickets:write'] })
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketDto })
  @ApiProblems(400, 404, 422)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: ReasonDto): Promise<TicketDto> {
    return this.tickets.cancel(principal, id, dto.reason);
  }
}
