import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IMPROVEMENT_STATUSES } from '@guichet/core/providers/providers.service';
import { ORDER_TYPES } from '@guichet/core/service-orders/order-rules';
import { DescriptionText, OptionalEmail, OptionalNotNull, OptionalText, PhoneNumber, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

const KINDS = ['internal', 'external'] as const;
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** Service levels in hours, to the second's order (3 decimals): 0.001 h is 3.6 s. */
const Hours = () => [IsNumber({ maxDecimalPlaces: 3, allowNaN: false, allowInfinity: false }), Min(0.001), Max(8760)];
const applyAll = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

export class ContactDto {
  @RequiredText(200)
  name: string;

  /** Job or role at the provider ("responsable de compte", "technicien d'astreinte"…). */
  @OptionalText(100)
  role?: string | null;

  @OptionalEmail()
  email?: string | null;

  @PhoneNumber()
  phone?: string | null;

  /** The contact reminders go to (one per provider). */
  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

export class UpdateContactDto {
  @OptionalNotNull()
  @RequiredText(200)
  name?: string;

  @OptionalText(100)
  role?: string | null;

  @OptionalEmail()
  email?: string | null;

  @PhoneNumber()
  phone?: string | null;

  @IsOptional()
  @IsBoolean()
  isPrimary?: boolean;
}

export class CreateProviderDto {
  @IsUUID('4')
  siteId: string;

  @IsIn(KINDS)
  @ApiProperty({ enum: KINDS })
  kind: 'internal' | 'external';

  @RequiredText(200)
  name: string;

  /** What the provider does for the site. */
  @DescriptionText(2000)
  description?: string;

  /** The order types it takes. */
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ORDER_TYPES.length)
  @IsIn(ORDER_TYPES, { each: true })
  @ApiPropertyOptional({ enum: ORDER_TYPES, isArray: true })
  orderTypes?: (typeof ORDER_TYPES)[number][];

  @OptionalEmail()
  email?: string | null;

  @PhoneNumber()
  phone?: string | null;

  /** Contract or purchase agreement reference. */
  @OptionalText(100)
  contractReference?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ example: '2027-12-31' })
  contractEndsOn?: string | null;

  /** Service level: hours from submission to acceptance. */
  @applyAll(Hours())
  responseHours: number;

  /** Service level: hours from acceptance to delivery/completion. */
  @applyAll(Hours())
  completionHours: number;

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

export class UpdateProviderDto {
  @OptionalNotNull()
  @IsIn(KINDS)
  @ApiPropertyOptional({ enum: KINDS })
  kind?: 'internal' | 'external';

  @OptionalNotNull()
  @RequiredText(200)
  name?: string;

  @DescriptionText(2000)
  description?: string;

  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(ORDER_TYPES.length)
  @IsIn(ORDER_TYPES, { each: true })
  @ApiPropertyOptional({ enum: ORDER_TYPES, isArray: true })
  orderTypes?: (typeof ORDER_TYPES)[number][];

  @OptionalEmail()
  email?: string | null;

  @PhoneNumber()
  phone?: string | null;

  @OptionalText(100)
  contractReference?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  contractEndsOn?: string | null;

  @OptionalNotNull()
  @applyAll(Hours())
  responseHours?: number;

  @OptionalNotNull()
  @applyAll(Hours())
  completionHours?: number;

  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class ProviderQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(KINDS)
  kind?: 'internal' | 'external';

  @IsOptional()
  @IsIn(ORDER_TYPES)
  orderType?: (typeof ORDER_TYPES)[number];

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  active?: boolean;
}

export class FiguresQueryDto {
  /** Orders completed at or after this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Orders completed before this instant; must be after `from`. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class CreateImprovementDto {
  @RequiredText(200)
  title: string;

  @DescriptionText(4000)
  description?: string;

  @IsOptional()
  @IsIn(IMPROVEMENT_STATUSES)
  @ApiPropertyOptional({ enum: IMPROVEMENT_STATUSES, default: 'proposed' })
  status?: (typeof IMPROVEMENT_STATUSES)[number];

  @IsOptional()
  @IsISO8601({ strict: true })
  @ApiPropertyOptional({ example: '2026-12-31' })
  dueOn?: string | null;
}

export class UpdateImprovementDto {
  @OptionalNotNull()
  @RequiredText(200)
  title?: string;

  @DescriptionText(4000)
  description?: string;

  @OptionalNotNull()
  @IsIn(IMPROVEMENT_STATUSES)
  @ApiPropertyOptional({ enum: IMPROVEMENT_STATUSES })
  status?: (typeof IMPROVEMENT_STATUSES)[number];

  @IsOptional()
  @IsISO8601({ strict: true })
  dueOn?: string | null;
}
