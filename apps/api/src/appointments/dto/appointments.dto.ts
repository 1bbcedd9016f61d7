import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { APPOINTMENT_CHANNELS, APPOINTMENT_STATUSES } from '@guichet/core/appointments/appointment-view';
import { CHECK_IN_CODE_PATTERN, normaliseCheckInCode } from '@guichet/core/appointments/check-in-code';
import { PageQueryDto } from '../../common/pagination.dto';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant must say its offset: a bare local time would be read in the server's zone. */
const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const PHONE = /^\+?[0-9 .()-]{6,40}$/;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SlotQueryDto {
  @IsUUID('4')
  queueId: string;

  /** First local day of the site (YYYY-MM-DD). */
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  /** Last local day, included; at most 31 days in all. */
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

export class SlotDto {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  /** Places left; 0 when the slot is full. */
  remaining: number;
}

export class SlotListDto {
  queueId: string;
  /** IANA zone of the site: the opening hours the slots come from are read in it. */
  timeZone: string;
  slotMinutes: number;
  @ApiProperty({ type: [SlotDto] })
  items: SlotDto[];
}

export class BookAppointmentDto {
  @IsUUID('4')
  queueId: string;

  /** Start of a slot as returned by GET /appointments/slots (ISO 8601 with offset). */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must include a time zone offset or Z' })
  startsAt: string;

  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  contactName: string;

  /** Where the confirmation and the reminder are sent. */
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @IsOptional()
  @Matches(PHONE, { message: 'contactPhone must be a phone number' })
  contactPhone?: string;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;

  @IsIn(APPOINTMENT_CHANNELS)
  @ApiProperty({ enum: APPOINTMENT_CHANNELS })
  channel: (typeof APPOINTMENT_CHANNELS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class RescheduleAppointmentDto {
  /** Start of another slot of the same queue. */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must include a time zone offset or Z' })
  startsAt: string;
}

export class CancelAppointmentDto {
  /** Kept in the audit log. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CheckInByCodeDto {
  @IsUUID('4')
  siteId: string;

  /** The 6-character code of the confirmation mail; case, spaces and dashes are ignored. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseCheckInCode(value) : value))
  @Matches(CHECK_IN_CODE_PATTERN, { message: 'code must be the 6-character check-in code' })
  code: string;
}

export class CodeLookupQueryDto {
  @IsUUID('4')
  siteId: string;
}

export class AppointmentQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  queueId?: string;

  /** Local day of the site (YYYY-MM-DD). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(LOCAL_DATE, { message: 'date must be a date YYYY-MM-DD' })
  date?: string;

  @IsOptional()
  @IsIn(APPOINTMENT_STATUSES)
  @ApiPropertyOptional({ enum: APPOINTMENT_STATUSES })
  status?: (typeof APPOINTMENT_STATUSES)[number];
}

export class AppointmentDto {
  id: string;
  siteId: string;
  queueId: string;
  visitorId: string | null;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  startsAt: Date;
  endsAt: Date;
  @ApiProperty({ enum: APPOINTMENT_STATUSES })
  status: string;
  /** Typed at the kiosk or given at the desk to check in; unique among the site's booked appointments. */
  checkInCode: string;
  @ApiProperty({ enum: APPOINTMENT_CHANNELS })
  channel: string;
  notes: string | null;
  /** The ticket issued at check-in. */
  ticketId: string | null;
  /** `user:<id>` or `api_key:<id>`. */
  bookedBy: string;
  checkedInAt: Date | null;
  cancelledAt: Date | null;
  noShowAt: Date | null;
  confirmationSentAt: Date | null;
  reminderSentAt: Date | null;
  createdAt: Date;
  /** Send it back in If-Match to cancel or reschedule. */
  version: number;
}

export class AppointmentPageDto {
  @ApiProperty({ type: [AppointmentDto] })
  items: AppointmentDto[];
  total: number;
}
