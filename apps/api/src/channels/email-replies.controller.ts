import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EmailRepliesService } from '@guichet/core/channels/email-replies.service';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { READ_REQUESTS } from '../requests/requests-access';
import { EmailMessageDto, EmailReplyDto, EmailThreadPageDto } from './dto/email.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('channels')
@Controller('requests/:id')
export class EmailRepliesController {
  constructor(private readonly replies: EmailRepliesService) {}

  /** The request's mails, received and sent, oldest first. Texts of a confidential request follow its notes' rule. */
  @Auth(READ_REQUESTS)
  @Get('emails')
  @ApiOkResponse({ type: EmailThreadPageDto })
  @ApiProblems(400, 404)
  thread(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() page: PageQueryDto): Promise<EmailThreadPageDto> {
    return this.replies.thread(principal, id, page);
  }

  /**
   * Answers by mail: to the visitor's address (else the last sender), threaded on the last
   * message, Reply-To the site's mailbox. Stored before it is sent; sent synchronously: 201 once
   * the mail server accepted it, 502 `mail_delivery_failed` when it did not (the reply is kept as
   * `failed`; retry it). An open request is taken in hand. Users only: mail to the public is
   * sent by a person.
   */
  @Auth()
  @Post('email-replies')
  @ApiCreatedResponse({ type: EmailMessageDto })
  @ApiProblems(400, 404, 422, 502)
  reply(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Body() dto: EmailReplyDto): Promise<EmailMessageDto> {
    return this.replies.reply(principal, id, dto);
  }

  /** Sends a failed reply again (same Message-ID); 409 `email_not_retryable` unless it is failed. */
  @Auth()
  @Post('email-replies/:emailId/retry')
  @ApiCreatedResponse({ type: EmailMessageDto })
  @ApiProblems(400, 404, 409, 502)
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Param('emailId', uuid) emailId: string,
  ): Promise<EmailMessageDto> {
    return this.replies.retry(principal, id, emailId);
  }
}
