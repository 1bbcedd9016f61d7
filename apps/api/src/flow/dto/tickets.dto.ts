import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { VISITOR_NEEDS } from '@guichet/core/flow/ordering';
import { TICKET_CHANNELS } from '@guichet/core/flow/tickets.service';
import { PageQueryDto } from '../../common/pagination.dto';

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'transferred', 'parked'] as const;

export class IssueTicketDto {
  @IsUUID('4')
  queueId: string;

  @IsIn(TICKET_CHANNELS)
  @ApiProperty({ enum: TICKET_CHANNELS })
  channel: (typeof TICKET_CHANNELS)[number];

  /** Specific needs declared at the kiosk or desk; some shorten the wait (see README, ticket ordering). */
  @IsOptional()
  @ArrayMaxSize(VISITOR_NEEDS.length)
  @ArrayUnique()
  @IsIn(VISITOR_NEEDS, { each: true })
  @ApiPropertyOptional({ enum: VISITOR_NEEDS, isArray: true })
  needs?: (typeof VISITOR_NEEDS)[number][];

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;
}

export class TicketQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  queueId?: string;

  @IsOptional()
  @IsIn(TICKET_STATUSES)
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  status?: string;

  /** Business day in the site's calendar (YYYY-MM-DD); default: today and yesterday. */
  @IsOptional()
  @IsISO8601({ strict: true })
  day?: string;
}

export class FinishTicketDto {
  /** The request this visit produced (same site). */
  @IsOptional()
  @IsUUID('4')
  requestId?: string;
}

export class TransferTicketDto {
  @IsUUID('4')
  queueId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ReasonDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CallSpecificDto {
  @IsUUID('4')
  ticketId: string;

  /** Why this ticket is called out of order (kept in its history). */
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class TicketDto {
  id: string;
  siteId: string;
  queueId: string;
  /** Printed and announced number, e.g. A042 (restarts each day). */
  number: string;
  channel: string;
  @ApiProperty({ enum: TICKET_STATUSES })
  status: string;
  @ApiProperty({ enum: ['urgent', 'needs', 'appointment', 'standard'] })
  priorityClass: string;
  needs: string[];
  visitorId: string | null;
  appointmentId: string | null;
  requestId: string | null;
  counterId: string | null;
  agentUserId: string | null;
  /** First arrival; kept across transfers (total stay = endedAt − arrivedAt). */
  arrivedAt: Date;
  /** When it entered its current queue. */
  queuedAt: Date;
  calledAt: Date | null;
  firstCalledAt: Date | null;
  recallCount: number;
  startedAt: Date | null;
  endedAt: Date | null;
  estimatedWaitSeconds: number | null;
  transferredFromQueueId: string | null;
  /** 1 = next; null unless waiting. */
  position: number | null;
  version: number;
}

export class IssuedTicketDto extends TicketDto {
  /** Token of the public follow-up page `/t/{trackingToken}` (print it as a QR code). */
  trackingToken: string;
}

export class TicketPageDto {
  @ApiProperty({ type: [TicketDto] })
  items: TicketDto[];
  total: number;
}

export class PublicTicketDto {
  number: string;
  status: string;
  queueName: string;
  position: number | null;
  estimatedWaitSeconds: number | null;
  counterName: string | null;
  siteId: string;
}
