import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
import {
  COMPLEXITIES,
  type Complexity,
  CONFIDENTIALITIES,
  type Confidentiality,
  REQUEST_CHANNELS,
  REQUEST_OUTCOMES,
  REQUEST_STATUSES,
  type RequestChannel,
  type RequestOutcome,
  type RequestStatus,
} from '@guichet/core/requests/request-lifecycle';
import type { CreateRequestInput, RequestQuery, UpdateRequestInput } from '@guichet/core/requests/requests.service';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalNotNull, OptionalText, RequiredText, SearchText } from '../../common/field-decorators';

export class CreateRequestDto implements CreateRequestInput {
  /** The site the request is made at (404 if the caller cannot see it). */
  @IsUUID('4')
  siteId: string;

  @IsIn(REQUEST_CHANNELS)
  @ApiProperty({ enum: REQUEST_CHANNELS })
  channel: RequestChannel;

  /** What the person asks for, in a few words; searched by `q`. */
  @RequiredText(300)
  subject: string;

  /** A visitor of the same site; left out for an anonymous request. */
  @IsOptional()
  @IsUUID('4')
  visitorId?: string | null;

  /** An active category of the same site. */
  @IsOptional()
  @IsUUID('4')
  categoryId?: string | null;

  /** The agent's notes; on a confidential request only the author's service, supervisors and admins read them. */
  @OptionalText(10000)
  notes?: string | null;

  /** The agent's restatement of the request (confidential like the notes). */
  @OptionalText(4000)
  reformulation?: string | null;

  /** The visitor confirmed the reformulation. Default: false. */
  @OptionalNotNull()
  @IsBoolean()
  reformulationConfirmed?: boolean;

  @OptionalNotNull()
  @IsIn(COMPLEXITIES)
  @ApiPropertyOptional({ enum: COMPLEXITIES, default: 'simple' })
  complexity?: Complexity;

  @OptionalNotNull()
  @IsIn(CONFIDENTIALITIES)
  @ApiPropertyOptional({ enum: CONFIDENTIALITIES, default: 'normal' })
  confidentiality?: Confidentiality;
}

export class UpdateRequestDto
  extends PartialType(OmitType(CreateRequestDto, ['siteId', 'channel'] as const), { skipNullProperties: false })
  implements UpdateRequestInput
{
  /** Reassigns the request to another active user of its site; null leaves it unassigned. */
  @IsOptional()
  @IsUUID('4')
  handledByUserId?: string | null;

  /** The version last read (alternative to If-Match); a stale one is refused with 409 `stale_version`. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ChangeStatusDto {
  /**
   * The new status: in_progress (take, take over or reopen), answered, oriented or closed.
   * `transferred` is reached by recording a transfer. Illegal moves are 422 `invalid_transition`.
   */
  @IsIn(REQUEST_STATUSES)
  @ApiProperty({ enum: REQUEST_STATUSES })
  status: RequestStatus;

  /** Required for answered (information, advice or accompaniment); oriented implies orientation; otherwise left out. */
  @IsOptional()
  @IsIn(REQUEST_OUTCOMES)
  @ApiPropertyOptional({ enum: REQUEST_OUTCOMES })
  outcome?: RequestOutcome;

  /** The version last read (alternative to If-Match). */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class RequestQueryDto extends PageQueryDto implements RequestQuery {
  /** Only this site (404 if the caller cannot see it); default: every site of the caller. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(REQUEST_STATUSES)
  @ApiPropertyOptional({ enum: REQUEST_STATUSES })
  status?: RequestStatus;

  @IsOptional()
  @IsIn(REQUEST_CHANNELS)
  @ApiPropertyOptional({ enum: REQUEST_CHANNELS })
  channel?: RequestChannel;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;

  /** A user id, or `me` for the caller's own requests. */
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/i, { message: 'handledBy must be "me" or a user id' })
  handledBy?: string;

  /** This category and its subcategories. */
  @IsOptional()
  @IsUUID('4')
  categoryId?: string;

  /** Arrived at or after (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Arrived before (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  /** Words of the subject; every word must match, accents and case ignored. */
  @SearchText()
  q?: string;
}

export class RequestDto {
  id: string;
  siteId: string;
  visitorId: string | null;
  @ApiProperty({ enum: REQUEST_CHANNELS })
  channel: RequestChannel;
  subject: string;
  categoryId: string | null;
  /** Absent (not null) when the request is confidential and the caller may not read it. */
  @ApiPropertyOptional({ type: String, nullable: true })
  notes?: string | null;
  /** Absent (not null) when the request is confidential and the caller may not read it. */
  @ApiPropertyOptional({ type: String, nullable: true })
  reformulation?: string | null;
  reformulationConfirmed: boolean;
  @ApiProperty({ enum: COMPLEXITIES })
  complexity: Complexity;
  @ApiProperty({ enum: CONFIDENTIALITIES })
  confidentiality: Confidentiality;
  @ApiProperty({ enum: REQUEST_STATUSES })
  status: RequestStatus;
  @ApiProperty({ enum: REQUEST_OUTCOMES, nullable: true })
  outcome: RequestOutcome | null;
  /** The service of the user who created it: decides who reads confidential notes. */
  authorServiceId: string | null;
  createdByUserId: string | null;
  /** The agent handling it: whoever last moved it to in_progress, or whom it was reassigned to. */
  handledByUserId: string | null;
  /** First contact; no step (transfer, reopen) ever moves it. */
  arrivedAt: Date;
  /** First taken in hand (later re-entries are reopenedAt). */
  inProgressAt: Date | null;
  /** This and the following: the last time the step was reached; the timeline has every step. */
  answeredAt: Date | null;
  orientedAt: Date | null;
  transferredAt: Date | null;
  closedAt: Date | null;
  reopenedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class RequestPageDto {
  @ApiProperty({ type: [RequestDto] })
  items: RequestDto[];
  total: number;
}

export class TimelineActorDto {
  @ApiProperty({ enum: ['user', 'api_key', 'system'] })
  type: 'user' | 'api_key' | 'system';
  id: string | null;
  /** Name of the user or key at the time. */
  label: string;
}

export class TimelineEntryDto {
  id: string;
  at: Date;
  /** created, updated, status_changed, transferred; other domains add theirs (article links, e-mails, calls). */
  type: string;
  actor: TimelineActorDto;
  /**
   * Depends on the type: `created` holds the initial fields, `updated` holds `changes`
   * (`{field: {from, to}}`), `status_changed` holds `from`, `to`, `outcome`, `handledByUserId`.
   * Confidential text is absent for callers who may not read it.
   */
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineEntryDto] })
  items: TimelineEntryDto[];
  total: number;
}
