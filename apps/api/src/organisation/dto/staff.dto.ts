import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import { AVAILABILITIES, type Availability } from '@guichet/core/organisation/staff.entity';
import type { StaffInput } from '@guichet/core/organisation/staff.service';
import { OptionalEmail, OptionalNotNull, OptionalText, RequiredText } from '../../common/field-decorators';
import { SiteScopedQueryDto } from './directory.dto';

export class CreateStaffDto implements StaffInput {
  /** The site the person works at (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** A service of the same site. */
  @IsOptional()
  @IsUUID('4')
  serviceId?: string | null;

  /** The person's Guichet account, a user of the same site. */
  @IsOptional()
  @IsUUID('4')
  userId?: string | null;

  @RequiredText(100)
  firstName: string;

  @RequiredText(100)
  lastName: string;

  @OptionalText(200)
  jobTitle?: string | null;

  @OptionalText(20)
  phoneExtension?: string | null;

  @OptionalEmail()
  email?: string | null;

  /** Default: available. */
  @OptionalNotNull()
  @IsIn(AVAILABILITIES)
  @ApiPropertyOptional({ enum: AVAILABILITIES })
  availability?: Availability;

  /** e.g. "back at 14:00", "on leave until Monday". */
  @OptionalText(500)
  availabilityNote?: string | null;
}

export class UpdateStaffDto extends PartialType(OmitType(CreateStaffDto, ['siteId'] as const), { skipNullProperties: false }) {
  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class StaffQueryDto extends SiteScopedQueryDto {
  @IsOptional()
  @IsUUID('4')
  serviceId?: string;

  @IsOptional()
  @IsIn(AVAILABILITIES)
  @ApiPropertyOptional({ enum: AVAILABILITIES })
  availability?: Availability;
}

export class StaffDto {
  id: string;
  siteId: string;
  serviceId: string | null;
  userId: string | null;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  phoneExtension: string | null;
  email: string | null;
  @ApiProperty({ enum: AVAILABILITIES })
  availability: Availability;
  availabilityNote: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class StaffPageDto {
  @ApiProperty({ type: [StaffDto] })
  items: StaffDto[];
  total: number;
}
