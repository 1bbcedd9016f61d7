import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsUrl, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ORDER_STATUSES, ORDER_TYPES } from '@guichet/core/service-orders/order-rules';
import { DescriptionText, OptionalNotNull, OptionalText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const CURRENCY = /^[A-Z]{3}$/;

export class OrderLineDto {
  @RequiredText(200)
  item: string;

  /** Whole units (boxes, chairs, meals); at least 1. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;

  /**
   * Unit price in cents of the order's currency (1250 = 12.50), at most 1,000,000.00: with the
   * quantity and line limits, any total stays an exact integer in JavaScript.
   */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceCents: number;
}

export class CreateOrderDto {
  @IsUUID('4')
  siteId: string;

  @IsUUID('4')
  providerId: string;

  /** The provider's contact for this order (else its primary contact gets the reminders). */
  @IsOptional()
  @IsUUID('4')
  providerContactId?: string | null;

  /** A room booking of the same site this order serves (catering, equipment for a meeting). */
  @IsOptional()
  @IsUUID('4')
  bookingId?: string | null;

  @IsIn(ORDER_TYPES)
  @ApiProperty({ enum: ORDER_TYPES })
  type: (typeof ORDER_TYPES)[number];

  @RequiredText(200)
  title: string;

  @DescriptionText(4000)
  description?: string;

  /** When it must be delivered or done; then the order's due time (else acceptance + the completion SLA). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  neededBy?: Date | null;

  /** The requested service window (a meeting, an intervention slot): both or neither, end after start. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  windowStart?: Date | null;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  windowEnd?: Date | null;

  /** ISO 4217; defaults to the site's currency. */
  @IsOptional()
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines?: OrderLineDto[];
}

export class UpdateOrderDto {
  @OptionalNotNull()
  @IsUUID('4')
  providerId?: string;

  @IsOptional()
  @IsUUID('4')
  providerContactId?: string | null;

  @OptionalNotNull()
  @IsIn(ORDER_TYPES)
  @ApiPropertyOptional({ enum: ORDER_TYPES })
  type?: (typeof ORDER_TYPES)[number];

  @OptionalNotNull()
  @RequiredText(200)
  title?: string;

  @DescriptionText(4000)
  description?: string;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  neededBy?: Date | null;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  windowStart?: Date | null;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  windowEnd?: Date | null;

  @OptionalNotNull()
  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  /** Replaces every line. */
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines?: OrderLineDto[];
}

export class OrderQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: (typeof ORDER_STATUSES)[number];

  @IsOptional()
  @IsIn(ORDER_TYPES)
  type?: (typeof ORDER_TYPES)[number];

  @IsOptional()
  @IsUUID('4')
  providerId?: string;

  /** Only the orders I requested. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  mine?: boolean;

  /** Only open orders past their first missed deadline (or only the others). */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  late?: boolean;
}

export class TransitionDto {
  @IsIn(ORDER_STATUSES)
  @ApiProperty({ enum: ORDER_STATUSES })
  status: (typeof ORDER_STATUSES)[number];

  /** Why (a rejection, a cancellation) or what the provider said. */
  @OptionalText(1000)
  note?: string | null;
}

export class ApproveDto {
  @OptionalText(1000)
  note?: string | null;
}

export class CommentDto {
  @RequiredText(4000)
  body: string;

  /** internal: our side; provider: the provider's words (its integration, or a user taking them down). */
  @OptionalNotNull()
  @IsIn(['internal', 'provider'])
  @ApiPropertyOptional({ enum: ['internal', 'provider'], default: 'internal' })
  side: 'internal' | 'provider' = 'internal';

  /** The provider contact who said it (provider side only). */
  @IsOptional()
  @IsUUID('4')
  providerContactId?: string | null;
}

export class AttachmentDto {
  /** An http(s) link to the document (quote, delivery note, invoice, photo). */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http or https URL' })
  @MaxLength(2000)
  url: string;

  @OptionalText(200)
  label?: string | null;
}

export class RatingDto {
  /** 1 (poor) to 5 (excellent). */
  @IsInt()
  @Min(1)
  @Max(5)
  timeliness: number;

  @IsInt()
  @Min(1)
  @Max(5)
  quality: number;

  @IsInt()
  @Min(1)
  @Max(5)
  communication: number;

  @OptionalText(2000)
  comment?: string | null;
}

export class SettingsDto {
  /** Orders whose total is above this amount (cents) need a supervisor's approval. */
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  approvalThresholdCents: number;

  @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency: string;
}
