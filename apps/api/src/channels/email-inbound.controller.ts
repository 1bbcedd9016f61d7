import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EmailInboundService } from '@guichet/core/channels/email-inbound.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { InboundEmailQueryDto, InboundEmailResultDto } from './dto/email.dto';
import { RFC822, rawMessage } from './raw-message';

@ApiTags('channels')
@Controller('channels/email')
export class EmailInboundController {
  constructor(private readonly inbound: EmailInboundService) {}

  /**
   * A mail received by a site's mailbox, posted raw by the mail gateway. It joins the request of
   * its thread (In-Reply-To / References; an answered, oriented or closed request is reopened
   * unless the mail is automatic) or opens an `email` request for the sender, recognised or
   * created as a visitor by address. 201 when stored; 200 with outcome `duplicate` when this
   * Message-ID was already received (nothing written).
   */
  @Auth({ minRole: 'supervisor', scopes: ['requests:write'] })
  @Post('inbound')
  @ApiConsumes(RFC822, 'text/plain')
  @ApiBody({ description: 'The raw RFC 822 message (message/rfc822 up to 10 MB, text/plain up to 1 MB)', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: InboundEmailResultDto, description: 'Stored: a new request, or added to its thread' })
  @ApiOkResponse({ type: InboundEmailResultDto, description: 'Already received: the stored message and its request' })
  @ApiProblems(400, 404, 413, 415)
  async receive(
    @CurrentPrincipal() principal: Principal,
    @Query() query: InboundEmailQueryDto,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InboundEmailResultDto> {
    const result = await this.inbound.receive(principal, rawMessage(body), query.siteId);
    reply.status(result.outcome === 'duplicate' ? 200 : 201);
    return result;
  }
}
