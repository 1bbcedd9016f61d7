import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CALL_DIRECTIONS, CALL_OUTCOMES, type CallDirection, type CallOutcome } from '@guichet/core/channels/phone-call-rules';
import type { CallRequestInput, LogCallInput, PhoneCallQuery } from '@guichet/core/channels/phone-calls.service';
import { COMPLEXITIES, type Complexity, CONFIDENTIALITIES, type Confidentiality } from '@guichet/core/requests/request-lifecycle';
import { PageQueryDto } from '../../common/pagination.dto';
import { Nested, OptionalNotNull, OptionalText, RequiredText } from '../../common/field-decorators';

/** One day: a longer "call" is a line left open. */
const MAX_CALL_SECONDS = 86400;

export class CallRequestDto implements CallRequestInput {
  @RequiredText(300)
  subject: string;

  /** An active category of the call's site. */
  @IsOptional()
  @IsUUID('4')
  categoryId?: string | null;

  /** The request's notes (confidential ones are read only by the author's service, supervisors and admins). */
  @OptionalText(10000)
  notes?: string | null;

  @OptionalText(4000)
  reformulation?: string | null;

  @OptionalNotNull()
  @IsIn(COMPLEXITIES)
  @ApiPropertyOptional({ enum: COMPLEXITIES, default: 'simple' })
  complexity?: Complexity;

  @OptionalNotNull()
  @IsIn(CONFIDENTIALITIES)
  @ApiPropertyOptional({ enum: CONFIDENTIALITIES, default: 'normal' })
  confidentiality?: Confidentiality;
}

export class LogPhoneCallDto implements LogCallInput {
  @IsUUID('4')
  siteId: string;

  @IsIn(CALL_DIRECTIONS)
  @ApiProperty({ enum: CALL_DIRECTIONS })
  direction: CallDirection;

  /** The other party's number in any usual format (`06 12 34 56 78`, `+33612345678`); stored in E.164. Left out when withheld. */
  @OptionalText(40)
  number?: string | null;

  /** When the call started (ISO 8601); not in the future. */
  @Type(() => Date)
  @IsDate()
  startedAt: Date;

  @IsInt()
  @Min(0)
  @Max(MAX_CALL_SECONDS)
  durationSeconds: number;

  @IsIn(CALL_OUTCOMES)
  @ApiProperty({ enum: CALL_OUTCOMES })
  outcome: CallOutcome;

  /** Required for (and only for) the `transferred` outcome: an active service of the site (422 otherwise). */
  @IsOptional()
  @IsUUID('4')
  transferredToServiceId?: string | null;

  /** An existing request of the site the call is about; its timeline gets `call_logged`. Excludes `createRequest`. */
  @IsOptional()
  @IsUUID('4')
  requestId?: string | null;

  /** Default: the linked request's visitor, else the site's visitor with this number. */
  @IsOptional()
  @IsUUID('4')
  visitorId?: string | null;

  @OptionalText(4000)
  notes?: string | null;

  /** Opens a request (channel `phone`, arrived when the call started) and links the call to it. */
  @IsOptional()
  @Nested(() => CallRequestDto)
  createRequest?: CallRequestDto | null;
}

export class PhoneCallQueryDto extends PageQueryDto implements PhoneCallQuery {
  /** Only this site (404 if the caller cannot see it); default: every site of the caller. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** Started at or after (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Started before (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;
}

export class PhoneCallDto {
  id: string;
  siteId: string;
  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;
  @ApiProperty({ type: String, nullable: true })
  visitorId: string | null;
  @ApiProperty({ enum: CALL_DIRECTIONS })
  direction: CallDirection;
  /** E.164; null when withheld. */
  @ApiProperty({ type: String, nullable: true })
  number: string | null;
  startedAt: Date;
  durationSeconds: number;
  @ApiProperty({ enum: CALL_OUTCOMES })
  outcome: CallOutcome;
  @ApiProperty({ type: String, nullable: true })
  transferredToServiceId: string | null;
  /** The user who logged it (null for an integration). */
  @ApiProperty({ type: String, nullable: true })
  agentUserId: string | null;
  /** Absent when the call belongs to a confidential request the caller may not read. */
  @ApiPropertyOptional({ type: String, nullable: true })
  notes?: string | null;
  createdAt: Date;
}

export class PhoneCallPageDto {
  @ApiProperty({ type: [PhoneCallDto] })
  items: PhoneCallDto[];
  total: number;
}
