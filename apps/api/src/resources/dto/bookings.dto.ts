import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { BOOKING_STATUSES, RESOURCE_KINDS } from '@guichet/core/resources/resource-view';
import { Nested, OptionalText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';
import { INSTANT_WITH_OFFSET } from './resources.dto';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CateringDto {
  /** Meals or drinks to plan for; may differ from the attendees. */
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  headcount?: number | null;

  /** What to serve, when, dietary needs. */
  @OptionalText(2000)
  notes?: string | null;
}

export class CreateBookingDto {
  /** The room or equipment item (404 if the caller cannot see it). */
  @IsUUID('4')
  resourceId: string;

  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must include a time zone offset or Z' })
  startsAt: string;

  /** Excluded: a booking ending at 11:00 and one starting at 11:00 do not overlap. */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'endsAt must include a time zone offset or Z' })
  endsAt: string;

  @RequiredText(200)
  title: string;

  @OptionalText(4000)
  notes?: string | null;

  /** People expected; at most the room's capacity. */
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  attendees?: number | null;

  /** Equipment items of the same site booked with the room for the same period: all or nothing. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  equipmentIds?: string[];

  /** Catering to plan (a catering service order can also be linked to the booking). */
  @IsOptional()
  @Nested(() => CateringDto)
  catering?: CateringDto | null;

  /** Another user of the site who organises the meeting; default: the caller. */
  @IsOptional()
  @IsUUID('4')
  organiserUserId?: string | null;
}

export class UpdateBookingDto {
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must include a time zone offset or Z' })
  startsAt?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'endsAt must include a time zone offset or Z' })
  endsAt?: string;

  @IsOptional()
  @RequiredText(200)
  title?: string;

  @OptionalText(4000)
  notes?: string | null;

  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  attendees?: number | null;

  /** The whole set of equipment wanted: items left out are released, new ones booked (all or nothing). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  equipmentIds?: string[];

  /** null removes the catering details. */
  @IsOptional()
  @Nested(() => CateringDto)
  catering?: CateringDto | null;
}

export class CancelBookingDto {
  /** Kept in the audit log. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class BookingQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  resourceId?: string;

  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  status?: (typeof BOOKING_STATUSES)[number];

  /** Bookings overlapping [from, to) (both or neither; at most 31 days). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'from must include a time zone offset or Z' })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'to must include a time zone offset or Z' })
  to?: string;

  /** Only the caller's bookings. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  mine?: boolean;
}

export class CateringViewDto {
  headcount: number | null;
  notes: string | null;
}

export class BookingDto {
  id: string;
  siteId: string;
  resourceId: string;
  resourceName: string;
  @ApiProperty({ enum: RESOURCE_KINDS })
  resourceKind: string;
  /** The room booking this equipment booking belongs to. */
  parentBookingId: string | null;
  startsAt: Date;
  endsAt: Date;
  title: string;
  notes: string | null;
  organiserUserId: string | null;
  organiserName: string | null;
  attendees: number | null;
  catering: CateringViewDto | null;
  @ApiProperty({ enum: BOOKING_STATUSES })
  status: string;
  createdBy: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Send it back in If-Match to change or cancel the booking. */
  version: number;
}

export class LinkedServiceOrderDto {
  id: string;
  /** e.g. `catering`. */
  type: string;
  status: string;
  title: string;
}

export class BookingDetailDto extends BookingDto {
  @ApiProperty({ type: [BookingDto] })
  equipment: BookingDto[];
  @ApiProperty({ type: [LinkedServiceOrderDto] })
  serviceOrders: LinkedServiceOrderDto[];
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingDto] })
  items: BookingDto[];
  total: number;
}
