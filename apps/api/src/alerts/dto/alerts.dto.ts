import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { ALERT_KINDS } from '@guichet/core/alerts/alert-conditions';
import { ALERT_STATUSES, AlertStatusFilter } from '@guichet/core/alerts/alerts.service';
import { PageQueryDto } from '../../common/pagination.dto';

export class AlertQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsUUID('4')
  queueId?: string;

  /** open: not acknowledged nor resolved; acknowledged: seen, still on; resolved: condition cleared. */
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  @ApiPropertyOptional({ enum: ALERT_STATUSES, default: 'all' })
  status: AlertStatusFilter = 'all';

  /** Raised at or after this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Raised before this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class AlertDto {
  id: string;
  siteId: string;
  queueId: string;
  /** The counter of a counter_idle alert. */
  counterId: string | null;
  /** The ticket of a ticket_wait alert. */
  ticketId: string | null;
  @ApiProperty({ enum: ALERT_KINDS })
  kind: string;
  @ApiProperty({ enum: ['warning', 'critical'], description: 'critical from twice the threshold, fixed when raised' })
  severity: string;
  @ApiProperty({ enum: ['open', 'acknowledged', 'resolved'] })
  status: string;
  /** The measure when the alert was raised, in `unit`. */
  value: number;
  threshold: number;
  @ApiProperty({ enum: ['tickets', 'seconds'] })
  unit: string;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedByUserId: string | null;
  resolvedAt: Date | null;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] })
  items: AlertDto[];
  total: number;
}
