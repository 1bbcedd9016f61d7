import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Nested } from '../../common/field-decorators';
import { OpeningHoursDto } from '../../organisation/dto/directory.dto';

export class PriorityBonusesDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  urgent?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  needs?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  appointment?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  standard?: number;
}

class QueueFieldsDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  dailyCap?: number | null;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** Own opening hours (same format as sites); null inherits the service's. */
  @IsOptional()
  @Nested(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto | null;

  /** Seconds of priority per class (see README, ticket ordering). */
  @IsOptional()
  @ValidateNested()
  @Type(() => PriorityBonusesDto)
  priorityBonuses?: PriorityBonusesDto;

  /** Recalls before a ticket is marked no-show. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  maxRecalls?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  appointmentEarlyMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  appointmentLateMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  slotCapacity?: number;
}

export class CreateQueueDto extends QueueFieldsDto {
  @IsUUID('4')
  siteId: string;

  @IsUUID('4')
  serviceId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  /** Letters printed before the number, e.g. A → A001. */
  @Matches(/^[A-Z]{1,3}$/, { message: 'prefix must be 1 to 3 capital letters' })
  prefix: string;
}

export class UpdateQueueDto extends QueueFieldsDto {
  @IsOptional()
  @IsUUID('4')
  serviceId?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @IsOptional()
  @Matches(/^[A-Z]{1,3}$/, { message: 'prefix must be 1 to 3 capital letters' })
  prefix?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class QueueDto {
  id: string;
  siteId: string;
  serviceId: string;
  name: string;
  prefix: string;
  dailyCap: number | null;
  active: boolean;
  openingHours: OpeningHoursDto | null;
  priorityBonuses: PriorityBonusesDto;
  maxRecalls: number;
  appointmentEarlyMinutes: number;
  appointmentLateMinutes: number;
  slotMinutes: number;
  slotCapacity: number;
  version: number;
}

export class SiteFilterDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

export class CreateCounterDto {
  @IsUUID('4')
  siteId: string;

  @IsString()
  @MinLength(1)
  @MaxLength(60)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** How much longer a ticket of the next preferred queue must have waited to go first (seconds per rank). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  preferenceStepSeconds?: number;

  /** Queues served, most preferred first. */
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  queueIds: string[];
}

export class UpdateCounterDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86400)
  preferenceStepSeconds?: number;

  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  queueIds?: string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CounterDto {
  id: string;
  siteId: string;
  name: string;
  location: string | null;
  active: boolean;
  preferenceStepSeconds: number;
  queueIds: string[];
  version: number;
}

export class OpenCounterDto {
  /** Serve only some of the counter's queues for this session. */
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  queueIds?: string[];
}

export class PauseCounterDto {
  /** Code of a pause reason of the site (default list: break, back_office, phone, meeting). */
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  reason: string;
}

export class CounterStateDto {
  counterId: string;
  counterName: string;
  sessionId: string | null;
  agentUserId: string | null;
  agentName: string | null;
  @ApiProperty({ enum: ['available', 'serving', 'paused', 'closed'] })
  state: string;
  pauseReason: string | null;
  since: string;
  currentTicketId: string | null;
}

export class AccuracyQueryDto {
  @IsISO8601({ strict: true })
  from: string;

  @IsISO8601({ strict: true })
  to: string;
}

export class DayQueryDto {
  @IsISO8601({ strict: true })
  day: string;
}
