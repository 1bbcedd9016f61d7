import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { RESOURCE_KINDS } from '@guichet/core/resources/resource-view';
import { Keywords, OptionalNotNull, OptionalText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

/** An instant must say its offset: a bare local time would be read in the server's zone. */
export const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value);

export class CreateResourceDto {
  /** The site it belongs to (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  @IsIn(RESOURCE_KINDS)
  @ApiProperty({ enum: RESOURCE_KINDS })
  kind: (typeof RESOURCE_KINDS)[number];

  /** Unique within the site whatever its case. */
  @RequiredText(120)
  name: string;

  /** People a room seats: required for a room, refused for equipment. */
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity?: number | null;

  /** Fixed features of a room (e.g. "vidéoprojecteur", "visio"), searched by the availability endpoint. */
  @Keywords()
  equipment?: string[];

  /** Where to find it (building, floor…). */
  @OptionalText(200)
  location?: string | null;

  /** Inactive resources stay listed but take no new booking. Default: true. */
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class UpdateResourceDto {
  @IsOptional()
  @RequiredText(120)
  name?: string;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity?: number | null;

  @Keywords()
  equipment?: string[];

  @OptionalText(200)
  location?: string | null;

  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class ResourceQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(RESOURCE_KINDS)
  @ApiPropertyOptional({ enum: RESOURCE_KINDS })
  kind?: (typeof RESOURCE_KINDS)[number];

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  active?: boolean;

  /** Part of the name or location. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class AvailabilityQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  resourceId?: string;

  @IsOptional()
  @IsIn(RESOURCE_KINDS)
  @ApiPropertyOptional({ enum: RESOURCE_KINDS })
  kind?: (typeof RESOURCE_KINDS)[number];

  /** Rooms seating at least this many people. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  minCapacity?: number;

  /** Features every room returned must have (comma-separated or repeated). */
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @ApiPropertyOptional({ type: [String] })
  features?: string[];

  /** Start of the range (ISO 8601 with offset). */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'from must include a time zone offset or Z' })
  from: string;

  /** End of the range, excluded; at most 31 days after `from`. */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'to must include a time zone offset or Z' })
  to: string;

  /** Only resources free over the whole range, smallest suitable room first. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  freeOnly?: boolean;
}

export class CalendarFeedQueryDto {
  /** The feed secret given when the feed was (re)created. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;
}

export class ResourceDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: RESOURCE_KINDS })
  kind: string;
  name: string;
  capacity: number | null;
  equipment: string[];
  location: string | null;
  active: boolean;
  /** Whether a calendar feed secret exists; rotate it to get a subscription URL. */
  calendarFeed: boolean;
  calendarFeedRotatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Send it back in If-Match to change the resource. */
  version: number;
}

export class ResourcePageDto {
  @ApiProperty({ type: [ResourceDto] })
  items: ResourceDto[];
  total: number;
}

export class BusySlotDto {
  bookingId: string;
  startsAt: Date;
  endsAt: Date;
}

export class ResourceAvailabilityDto {
  resource: ResourceDto;
  /** Free over the whole range. */
  free: boolean;
  @ApiProperty({ type: [BusySlotDto] })
  busy: BusySlotDto[];
}

export class AvailabilityDto {
  from: Date;
  to: Date;
  @ApiProperty({ type: [ResourceAvailabilityDto] })
  items: ResourceAvailabilityDto[];
}

export class CalendarTokenDto {
  /** Shown once: only its hash is kept. */
  token: string;
  /** iCalendar subscription URL (no sign-in needed; rotating the token revokes it). */
  url: string;
}
