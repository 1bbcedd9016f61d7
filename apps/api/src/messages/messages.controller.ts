import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@guichet/core/identity/principal';
import { MessagesService } from '@guichet/core/messages/messages.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  InboxPageDto,
  MessageDto,
  MessageQueryDto,
  OutboxPageDto,
  RecipientsDto,
  RecipientsQueryDto,
  SendMessageDto,
  UnreadCountDto,
  UnreadQueryDto,
} from './dto/messages.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('messages')
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  /**
   * To a colleague, a service, the whole site, or a report to management (supervisors). A site the
   * sender cannot see is 404 and nothing is written. Live (private): `message.received` to each recipient.
   */
  @Auth()
  @Post()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '8-128 characters; same key + same body = the same message, sent once' })
  @ApiCreatedResponse({ type: MessageDto })
  @ApiProblems(400, 404, 409, 422)
  async send(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: SendMessageDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MessageDto> {
    const { message, replayed } = await this.messages.send(principal, dto, idempotencyKey);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return message;
  }

  /** Messages to the caller: unread first, then by priority and date. */
  @Auth()
  @Get('inbox')
  @ApiOkResponse({ type: InboxPageDto })
  @ApiProblems(400, 404)
  inbox(@CurrentPrincipal() principal: Principal, @Query() query: MessageQueryDto): Promise<InboxPageDto> {
    return this.messages.inbox(principal, query);
  }

  /** Messages the caller sent, with how many recipients read them. */
  @Auth()
  @Get('outbox')
  @ApiOkResponse({ type: OutboxPageDto })
  @ApiProblems(400, 404)
  outbox(@CurrentPrincipal() principal: Principal, @Query() query: MessageQueryDto): Promise<OutboxPageDto> {
    return this.messages.outbox(principal, query);
  }

  /** Unread active messages (the badge). */
  @Auth()
  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountDto })
  @ApiProblems(400, 404)
  unread(@CurrentPrincipal() principal: Principal, @Query() query: UnreadQueryDto): Promise<UnreadCountDto> {
    return this.messages.unreadCount(principal, query.siteId);
  }

  /** Colleagues and services of a site, to address a message. */
  @Auth()
  @Get('recipients')
  @ApiOkResponse({ type: RecipientsDto })
  @ApiProblems(400, 404)
  recipients(@CurrentPrincipal() principal: Principal, @Query() query: RecipientsQueryDto): Promise<RecipientsDto> {
    return this.messages.recipients(principal, query.siteId);
  }

  /** One message; the sender, supervisors and admins also get the read receipts. */
  @Auth()
  @Get(':id')
  @ApiOkResponse({ type: MessageDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<MessageDto> {
    return this.messages.get(principal, id);
  }

  /** Marks it read (idempotent: the first read time stays); the sender gets `message.read` live. */
  @Auth()
  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageDto })
  @ApiProblems(400, 404)
  read(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<MessageDto> {
    return this.messages.markRead(principal, id);
  }
}
