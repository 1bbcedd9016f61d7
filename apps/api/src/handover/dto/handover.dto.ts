import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { LOGBOOK_CATEGORIES, LOGBOOK_PRIORITIES, LOGBOOK_STATUSES } from '@guichet/core/handover/handover.service';
import { DescriptionText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

export class CreateLogbookEntryDto {
  @IsUUID('4')
  siteId: string;

  @IsIn(LOGBOOK_CATEGORIES)
  @ApiProperty({ enum: LOGBOOK_CATEGORIES })
  category: (typeof LOGBOOK_CATEGORIES)[number];

  @IsOptional()
  @IsIn(LOGBOOK_PRIORITIES)
  @ApiPropertyOptional({ enum: LOGBOOK_PRIORITIES, default: 'normal' })
  priority?: (typeof LOGBOOK_PRIORITIES)[number];

  @RequiredText(200)
  title: string;

  @DescriptionText(8000)
  body?: string;

  /** To be done before this instant (future, with an offset or Z). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'dueAt must include a time zone offset or Z' })
  dueAt?: string | null;
}

export class LogbookQueryDto extends PageQueryDto {
  @IsUUID('4')
  siteId: string;

  @IsOptional()
  @IsIn(LOGBOOK_STATUSES)
  @ApiPropertyOptional({ enum: LOGBOOK_STATUSES })
  status?: (typeof LOGBOOK_STATUSES)[number];
}

export class CloseLogbookEntryDto {
  /** What was done. */
  @RequiredText(2000)
  comment: string;
}

export class LogbookEntryDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: LOGBOOK_CATEGORIES })
  category: string;
  @ApiProperty({ enum: LOGBOOK_PRIORITIES })
  priority: string;
  title: string;
  body: string;
  dueAt: Date | null;
  @ApiProperty({ enum: LOGBOOK_STATUSES })
  status: string;
  createdByUserId: string | null;
  createdByName: string | null;
  createdAt: Date;
  closedAt: Date | null;
  closedByUserId: string | null;
  closingComment: string | null;
  version: number;
}

export class LogbookPageDto {
  @ApiProperty({ type: [LogbookEntryDto] })
  items: LogbookEntryDto[];
  total: number;
}

export class CreateHandoverNoteDto {
  @IsUUID('4')
  siteId: string;

  @RequiredText(8000)
  body: string;
}

export class HandoverNoteQueryDto extends PageQueryDto {
  @IsUUID('4')
  siteId: string;

  /** Only the notes the caller still has to acknowledge. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  pending?: boolean;
}

export class SiteQueryDto {
  @IsUUID('4')
  siteId: string;
}

export class AcknowledgementDto {
  userId: string;
  name: string;
  acknowledgedAt: Date;
}

export class HandoverNoteDto {
  id: string;
  siteId: string;
  authorUserId: string | null;
  authorName: string | null;
  body: string;
  @ApiProperty({ type: 'object', description: 'What the author left open: tickets, requests, tasks, callbacks, logbookEntries (ids and short labels)', additionalProperties: true })
  snapshot: object;
  createdAt: Date;
  @ApiProperty({ type: [AcknowledgementDto] })
  acknowledgements: AcknowledgementDto[];
  acknowledgedByMe: boolean;
}

export class HandoverNotePageDto {
  @ApiProperty({ type: [HandoverNoteDto] })
  items: HandoverNoteDto[];
  total: number;
}

export class HandoverSummaryDto {
  @ApiProperty({ type: [HandoverNoteDto] })
  pendingNotes: HandoverNoteDto[];
  @ApiProperty({ type: [LogbookEntryDto] })
  openEntries: LogbookEntryDto[];
  @ApiProperty({ type: 'object', description: 'The caller’s own open items on the site (same shape as a note snapshot)', additionalProperties: true })
  mine: object;
}
