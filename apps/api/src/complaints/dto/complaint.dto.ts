import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import {
  CLOCK_KINDS,
  COMPLAINT_CHANNELS,
  COMPLAINT_SEVERITIES,
  COMPLAINT_STATUSES,
  type ClockKind,
  type ComplaintChannel,
  type ComplaintSeverity,
  type ComplaintStatus,
} from '@guichet/core/complaints/complaint-lifecycle';
import type { ComplaintQuery, CreateComplaintInput, UpdateComplaintInput } from '@guichet/core/complaints/complaints.service';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalNotNull, OptionalText, RequiredText, SearchText } from '../../common/field-decorators';

const USER_OR_ME = /^(me|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/i;

/** Links a complaint may carry (each must be a record of the complaint's site). */
class ComplaintLinksDto {
  /** A visitor of the same site; left out for an anonymous complaint. */
  @IsOptional()
  @IsUUID('4')
  visitorId?: string | null;

  /** Who handles the complaint; default: the user who records it. */
  @IsOptional()
  @IsUUID('4')
  ownerUserId?: string | null;

  /** The service the complaint is about. */
  @IsOptional()
  @IsUUID('4')
  serviceId?: string | null;

  /** The agent the complaint is about. */
  @IsOptional()
  @IsUUID('4')
  agentUserId?: string | null;

  @IsOptional()
  @IsUUID('4')
  requestId?: string | null;

  @IsOptional()
  @IsUUID('4')
  ticketId?: string | null;

  @IsOptional()
  @IsUUID('4')
  serviceOrderId?: string | null;
}

export class CreateComplaintDto extends ComplaintLinksDto implements CreateComplaintInput {
  /** The site (404 if the caller cannot see it); left out with surveyResponseId (the response's site). */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** How it reached the reception; required unless surveyResponseId is given (then `survey`). */
  @IsOptional()
  @IsIn(COMPLAINT_CHANNELS)
  @ApiPropertyOptional({ enum: COMPLAINT_CHANNELS })
  channel?: ComplaintChannel;

  /** An active complaint category of the site: it sets the SLA. */
  @IsUUID('4')
  categoryId: string;

  /** The reason of the dissatisfaction, in a few words. */
  @RequiredText(300)
  reason: string;

  /** What happened, as the visitor tells it. */
  @RequiredText(10000)
  description: string;

  /** What the visitor asks for (refund, apology, new appointment…). */
  @OptionalText(2000)
  requestedRemedy?: string | null;

  @OptionalNotNull()
  @IsIn(COMPLAINT_SEVERITIES)
  @ApiPropertyOptional({ enum: COMPLAINT_SEVERITIES, default: 'medium' })
  severity?: ComplaintSeverity;

  /** A survey answer turned into a complaint: visitor, site, service, agent and channel are copied from it (once per response). */
  @IsOptional()
  @IsUUID('4')
  surveyResponseId?: string | null;

  /** When it was received, if earlier (an e-mail's date, a letter); never in the future. The SLA clocks start there. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  receivedAt?: Date;
}

export class UpdateComplaintDto extends ComplaintLinksDto implements UpdateComplaintInput {
  @OptionalNotNull()
  @RequiredText(300)
  reason?: string;

  @OptionalNotNull()
  @RequiredText(10000)
  description?: string;

  @OptionalText(2000)
  requestedRemedy?: string | null;

  @OptionalNotNull()
  @IsIn(COMPLAINT_SEVERITIES)
  @ApiPropertyOptional({ enum: COMPLAINT_SEVERITIES })
  severity?: ComplaintSeverity;

  /** false: outside the agent's remit, referred to the hierarchy ("orienter vers la hiérarchie"). */
  @OptionalNotNull()
  @IsBoolean()
  withinRemit?: boolean;

  /** The compensation granted (geste commercial), if any; null clears it and its amount. */
  @OptionalText(1000)
  compensation?: string | null;

  /** Its value in euros, if it has one. */
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(1_000_000)
  compensationAmount?: number | null;

  /** What remains to be done after the answer. */
  @OptionalText(4000)
  followUp?: string | null;

  /** When to check back (ISO date). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'followUpOn must be a date yyyy-mm-dd' })
  followUpOn?: string | null;

  /** The version last read (alternative to If-Match). */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ChangeComplaintStatusDto {
  /** received → acknowledged → investigating → answered → closed, answered|closed → reopened. Others are 422 `invalid_transition`. */
  @IsIn(COMPLAINT_STATUSES)
  @ApiProperty({ enum: COMPLAINT_STATUSES })
  status: ComplaintStatus;

  /** The answer given to the visitor: required to go to answered, refused otherwise. */
  @ValidateIf((_, value) => value !== undefined)
  @RequiredText(10000)
  answer?: string;

  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PauseComplaintDto {
  /** Why the clocks wait (documents missing from the visitor…). */
  @OptionalText(500)
  reason?: string | null;

  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ResumeComplaintDto {
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ComplaintQueryDto extends PageQueryDto implements ComplaintQuery {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(COMPLAINT_STATUSES)
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  status?: ComplaintStatus;

  @IsOptional()
  @IsIn(COMPLAINT_CHANNELS)
  @ApiPropertyOptional({ enum: COMPLAINT_CHANNELS })
  channel?: ComplaintChannel;

  @IsOptional()
  @IsUUID('4')
  categoryId?: string;

  @IsOptional()
  @IsIn(COMPLAINT_SEVERITIES)
  @ApiPropertyOptional({ enum: COMPLAINT_SEVERITIES })
  severity?: ComplaintSeverity;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;

  /** A user id, or `me`. */
  @IsOptional()
  @Matches(USER_OR_ME, { message: 'ownerUserId must be "me" or a user id' })
  ownerUserId?: string;

  /** true: escalated ones only; false: the others. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  escalated?: boolean;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @SearchText()
  q?: string;
}

export class ClockDto {
  @ApiProperty({ enum: CLOCK_KINDS })
  kind: ClockKind;
  /** Allotted minutes (business minutes when businessHours). */
  targetMinutes: number;
  businessHours: boolean;
  startedAt: Date;
  dueAt: Date;
  warnAt: Date | null;
  /** Set while waiting for the visitor. */
  pausedAt: Date | null;
  pausedMinutes: number;
  stoppedAt: Date | null;
  warnedAt: Date | null;
  escalatedAt: Date | null;
  @ApiProperty({ enum: ['running', 'paused', 'met', 'breached'] })
  state: 'running' | 'paused' | 'met' | 'breached';
  breached: boolean;
  /** Business minutes left (negative: late by); null once stopped. */
  minutesLeft: number | null;
}

export class ComplaintDto {
  id: string;
  siteId: string;
  categoryId: string;
  visitorId: string | null;
  @ApiProperty({ enum: COMPLAINT_CHANNELS })
  channel: ComplaintChannel;
  reason: string;
  description: string;
  requestedRemedy: string | null;
  @ApiProperty({ enum: COMPLAINT_SEVERITIES })
  severity: ComplaintSeverity;
  @ApiProperty({ enum: COMPLAINT_STATUSES })
  status: ComplaintStatus;
  ownerUserId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  requestId: string | null;
  ticketId: string | null;
  serviceOrderId: string | null;
  surveyResponseId: string | null;
  answer: string | null;
  withinRemit: boolean;
  escalatedAt: Date | null;
  @ApiProperty({ enum: ['acknowledge_sla', 'answer_sla'], nullable: true })
  escalationReason: 'acknowledge_sla' | 'answer_sla' | null;
  compensation: string | null;
  compensationAmount: number | null;
  followUp: string | null;
  followUpOn: string | null;
  receivedAt: Date;
  acknowledgedAt: Date | null;
  investigatingAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  reopenedAt: Date | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  @ApiProperty({ type: [ClockDto] })
  clocks: ClockDto[];
}

export class ComplaintPageDto {
  @ApiProperty({ type: [ComplaintDto] })
  items: ComplaintDto[];
  total: number;
}

export class ComplaintHistoryActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] })
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  label: string;
}

export class ComplaintHistoryEntryDto {
  id: string;
  at: Date;
  /** created, updated, status_changed, paused, resumed, sla_warning, sla_escalated. */
  type: string;
  actor: ComplaintHistoryActorDto;
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class ComplaintHistoryPageDto {
  @ApiProperty({ type: [ComplaintHistoryEntryDto] })
  items: ComplaintHistoryEntryDto[];
  total: number;
}
