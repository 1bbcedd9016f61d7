import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsISO8601, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { AGENDA_KINDS } from '@guichet/core/agenda/agenda.service';
import { OptionalText, RequiredText } from '../../common/field-decorators';

const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export class CreateMeetingDto {
  @IsUUID('4')
  siteId: string;

  @RequiredText(200)
  title: string;

  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must include a time zone offset or Z' })
  startsAt: string;

  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'endsAt must include a time zone offset or Z' })
  endsAt: string;

  @OptionalText(200)
  place?: string | null;

  @OptionalText(4000)
  notes?: string | null;

  /** Default: the caller (unless a service is given). */
  @IsOptional()
  @IsUUID('4')
  ownerUserId?: string | null;

  /** A service meeting shows in the agenda of the service and of each of its agents. */
  @IsOptional()
  @IsUUID('4')
  serviceId?: string | null;
}

/**
 * Absent fields keep their value; the site does not change. Null is validated, not skipped: a null
 * title or time is refused, a null owner removes the user (a service must then remain).
 */
export class UpdateMeetingDto extends PartialType(OmitType(CreateMeetingDto, ['siteId'] as const), { skipNullProperties: false }) {}

export class MeetingDto {
  id: string;
  siteId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  notes: string | null;
  ownerUserId: string | null;
  serviceId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date | null;
  /** Send it back in If-Match when editing. */
  version: number;
}

export class AgendaQueryDto {
  /** Default: the caller. */
  @IsOptional()
  @IsUUID('4')
  userId?: string;

  @IsOptional()
  @IsUUID('4')
  serviceId?: string;

  @Type(() => Date)
  @IsDate()
  from: Date;

  /** At most 62 days after `from`. */
  @Type(() => Date)
  @IsDate()
  to: Date;
}

export class AgendaItemDto {
  @ApiProperty({ enum: AGENDA_KINDS })
  kind: string;
  id: string;
  siteId: string;
  title: string;
  startsAt: Date;
  /** Tasks and callbacks (points in time) last 15 minutes. */
  endsAt: Date;
  status: string;
  place: string | null;
  /** The owning user of a meeting, task or callback; null for appointments and service items. */
  ownerUserId: string | null;
}

export class AgendaDto {
  @ApiProperty({ type: [AgendaItemDto] })
  items: AgendaItemDto[];
}

export class FeedTokenDto {
  /** Shown once; rotate to replace it. */
  token: string;
  /** The URL to subscribe to in a calendar app. */
  url: string;
}

export class FeedQueryDto {
  @IsOptional()
  @IsString()
  token?: string;
}
