import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { AVAILABILITIES, type Availability } from '@guichet/core/organisation/staff.entity';
import type { SuggestionQuery } from '@guichet/core/orientation/suggestions.service';
import { TRANSFER_TARGET_TYPES, type TransferTargetType } from '@guichet/core/orientation/transfers.service';
import { AddressDto } from '../../organisation/dto/directory.dto';
import { ServiceLocationDto } from '../../organisation/dto/service.dto';
import { SearchText } from '../../common/field-decorators';

const MAX_SUGGESTIONS = 50;

export class SuggestionQueryDto implements SuggestionQuery {
  /** Suggest for this request (its subject, reformulation and category). */
  @IsOptional()
  @IsUUID('4')
  requestId?: string;

  /** Or for these words (with `siteId`). */
  @SearchText()
  q?: string;

  /** The site whose directory is searched, with `q`. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** At most this many suggestions (default 10, at most 50). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SUGGESTIONS)
  limit?: number;
}

export class SuggestionDto {
  @ApiProperty({ enum: TRANSFER_TARGET_TYPES })
  type: TransferTargetType;
  /** Pass as `targetId` (with `type` as `targetType`) to record a transfer. */
  id: string;
  name: string;
  /** 0–1: how much of the request's words the entry covers, keyword hits counting extra. */
  score: number;
  @ApiProperty({ type: [String] })
  matchedKeywords: string[];
  /** null when the hours are unknown (a partner without hours). */
  openNow: boolean | null;
  /** Next opening (while open: the next reopening), within a year. */
  nextOpeningAt: Date | null;
  phone: string | null;
  email: string | null;
  /** Services, and staff (their service's location). */
  @ApiPropertyOptional({ type: ServiceLocationDto, nullable: true })
  location?: ServiceLocationDto | null;
  /** Partners. */
  @ApiPropertyOptional({ type: AddressDto, nullable: true })
  address?: AddressDto | null;
  /** Partners. */
  website?: string | null;
  /** Staff. */
  jobTitle?: string | null;
  /** Staff. */
  @ApiPropertyOptional({ enum: AVAILABILITIES })
  availability?: Availability;
  /** Staff: their service. */
  serviceId?: string | null;
}
