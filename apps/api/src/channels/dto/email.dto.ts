import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { EMAIL_DIRECTIONS, EMAIL_STATUSES, type EmailDirection, type EmailStatus } from '@guichet/core/channels/email-messages';
import type { EmailReplyInput } from '@guichet/core/channels/email-replies.service';
import type { InboundOutcome } from '@guichet/core/channels/email-inbound.service';
import { OptionalText, RequiredText } from '../../common/field-decorators';
import { RequestDto } from '../../requests/dto/request.dto';

export class InboundEmailQueryDto {
  /**
   * The site whose mailbox received the mail (404 if the caller cannot see it). Optional when the
   * caller has one site, or when a recipient of the mail is the mailbox (e-mail) of exactly one of its sites.
   */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

export class EmailReplyDto implements EmailReplyInput {
  /** Plain text of the reply; stored before it is sent. */
  @RequiredText(50000)
  body: string;

  /** Default: `Re: ` and the subject of the thread's last message (the request's subject when it has no mail yet). */
  @OptionalText(300)
  subject?: string | null;
}

export class EmailMessageDto {
  id: string;
  siteId: string;
  requestId: string;
  @ApiProperty({ enum: EMAIL_DIRECTIONS })
  direction: EmailDirection;
  /** `<id@domain>`; generated from the raw bytes for an inbound mail that had none. */
  messageId: string;
  @ApiProperty({ type: String, nullable: true })
  inReplyTo: string | null;
  references: string[];
  /** Inbound: the sender; outbound: the configured sender (MAIL_FROM); answers go to the site's mailbox (Reply-To). */
  fromAddress: string;
  toAddresses: string[];
  subject: string;
  /** Plain text. Absent (not empty) when the request is confidential and the caller may not read it. */
  @ApiPropertyOptional()
  textBody?: string;
  /** Inbound: received. Outbound: queued, then sent or failed (a failed reply can be retried). */
  @ApiProperty({ enum: EMAIL_STATUSES })
  status: EmailStatus;
  /** The mail server's answer when sending failed. */
  @ApiProperty({ type: String, nullable: true })
  error: string | null;
  @ApiProperty({ type: String, nullable: true })
  sentByUserId: string | null;
  /** When Guichet received or queued it; the thread is in this order. */
  at: Date;
}

export class EmailThreadPageDto {
  @ApiProperty({ type: [EmailMessageDto] })
  items: EmailMessageDto[];
  total: number;
}

export class InboundEmailResultDto {
  /** created: a new request; threaded: added to the request of its thread; duplicate: this Message-ID was already received (nothing written). */
  @ApiProperty({ enum: ['created', 'threaded', 'duplicate'] })
  outcome: InboundOutcome;
  email: EmailMessageDto;
  request: RequestDto;
}
