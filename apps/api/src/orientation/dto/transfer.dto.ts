import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import {
  type CreateTransferInput,
  type IncomingTransferQuery,
  TRANSFER_MODES,
  TRANSFER_TARGET_TYPES,
  type TransferMode,
  type TransferTargetType,
} from '@guichet/core/orientation/transfers.service';
import { REQUEST_CHANNELS, REQUEST_STATUSES, type RequestChannel, type RequestStatus } from '@guichet/core/requests/request-lifecycle';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalNotNull, OptionalText, RequiredText } from '../../common/field-decorators';
import { RequestDto } from '../../requests/dto/request.dto';

export class CreateTransferDto implements CreateTransferInput {
  /** service or staff: the request continues there (status transferred); partner: it leaves (status oriented). */
  @IsIn(TRANSFER_TARGET_TYPES)
  @ApiProperty({ enum: TRANSFER_TARGET_TYPES })
  targetType: TransferTargetType;

  /** A service (active), staff member or partner of the request's site; anything else is 422 `invalid_reference`. */
  @IsUUID('4')
  targetId: string;

  @IsIn(TRANSFER_MODES)
  @ApiProperty({ enum: TRANSFER_MODES })
  mode: TransferMode;

  /** Why the person is sent there. */
  @RequiredText(1000)
  reason: string;

  /** A hand-over message for the receiver (not confidential, unlike the request's notes). */
  @OptionalText(4000)
  note?: string | null;

  /** The request version last read (alternative to If-Match). */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class TransferDto {
  id: string;
  requestId: string;
  siteId: string;
  @ApiProperty({ enum: TRANSFER_TARGET_TYPES })
  targetType: TransferTargetType;
  /** null once the target was deleted from the directory. */
  targetId: string | null;
  targetName: string | null;
  /** The receiving internal service (for staff: their service at the time); null for partners. */
  serviceId: string | null;
  @ApiProperty({ enum: TRANSFER_MODES })
  mode: TransferMode;
  reason: string;
  note: string | null;
  createdByUserId: string | null;
  createdAt: Date;
}

export class TransferCreatedDto {
  transfer: TransferDto;
  /** The request after the transfer (status, version, transferredAt or orientedAt). */
  request: RequestDto;
}

export class IncomingRequestSummaryDto {
  id: string;
  subject: string;
  @ApiProperty({ enum: REQUEST_STATUSES })
  status: RequestStatus;
  @ApiProperty({ enum: REQUEST_CHANNELS })
  channel: RequestChannel;
  visitorId: string | null;
  arrivedAt: Date;
}

export class IncomingTransferDto extends TransferDto {
  request: IncomingRequestSummaryDto;
}

export class IncomingTransferPageDto {
  @ApiProperty({ type: [IncomingTransferDto] })
  items: IncomingTransferDto[];
  total: number;
}

export class IncomingTransferQueryDto extends PageQueryDto implements IncomingTransferQuery {
  /** Transfers made at or after this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;
}
