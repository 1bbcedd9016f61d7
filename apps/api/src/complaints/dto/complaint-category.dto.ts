import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { CreateCategoryInput, UpdateCategoryInput } from '@guichet/core/complaints/complaint-categories.service';
import { OptionalNotNull, RequiredText } from '../../common/field-decorators';

const YEAR_MINUTES = 366 * 24 * 60;

export class CreateComplaintCategoryDto implements CreateCategoryInput {
  @IsUUID('4')
  siteId: string;

  @RequiredText(120)
  name: string;

  /** Time to acknowledge, in minutes (business minutes when useBusinessHours). */
  @IsInt()
  @Min(1)
  @Max(YEAR_MINUTES)
  acknowledgeMinutes: number;

  /** Time to answer, in minutes (business minutes when useBusinessHours). */
  @IsInt()
  @Min(1)
  @Max(YEAR_MINUTES)
  answerMinutes: number;

  /** Warn the owner once this share of the time is used (1–99); or use warningMinutesBefore; or neither (no warning). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  warningPercent?: number | null;

  /** Warn the owner this many minutes before the breach. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(YEAR_MINUTES)
  warningMinutesBefore?: number | null;

  /** true (default): count the site's opening hours and closures; false: around the clock. */
  @OptionalNotNull()
  @IsBoolean()
  @ApiPropertyOptional({ default: true })
  useBusinessHours?: boolean;

  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class UpdateComplaintCategoryDto
  extends PartialType(OmitType(CreateComplaintCategoryDto, ['siteId'] as const), { skipNullProperties: false })
  implements UpdateCategoryInput
{
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ComplaintCategoryQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

export class ComplaintCategoryDto {
  id: string;
  siteId: string;
  name: string;
  active: boolean;
  acknowledgeMinutes: number;
  answerMinutes: number;
  warningPercent: number | null;
  warningMinutesBefore: number | null;
  useBusinessHours: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}
