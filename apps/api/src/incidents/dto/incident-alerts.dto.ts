import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { ALERT_KINDS, IncidentAlertKind, INCIDENT_SEVERITIES, IncidentSeverity } from '@guichet/core/incidents/escalation-policy';
import { OptionalText } from '../../common/field-decorators';
import { IncidentAlertDto } from './incidents.dto';

/** The one-tap buttons send only siteId and kind (and the counter); the rest can be filled in later on the incident. */
export class RaiseIncidentAlertDto {
  @IsUUID('4')
  siteId: string;

  @IsIn(ALERT_KINDS)
  @ApiProperty({ enum: ALERT_KINDS })
  kind: IncidentAlertKind;

  /** Attach to this open incident instead of opening one. */
  @IsOptional()
  @IsUUID('4')
  incidentId?: string;

  /** Severity of the incident opened (default: conflict for a supervisor call, security for a security call). */
  @IsOptional()
  @IsIn(INCIDENT_SEVERITIES)
  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  severity?: IncidentSeverity;

  /** The desk the alert comes from. */
  @IsOptional()
  @IsUUID('4')
  counterId?: string;

  @OptionalText(200)
  place?: string;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string;

  @IsOptional()
  @IsUUID('4')
  ticketId?: string;

  @IsOptional()
  @IsUUID('4')
  requestId?: string;
}

export class RaisedIncidentAlertDto {
  @ApiProperty({ type: IncidentAlertDto })
  alert: IncidentAlertDto;
  incidentId: string;
  /** A second tap while the first alert still waits returns that alert. */
  repeated: boolean;
}

export const ALERT_LIST_STATUSES = ['waiting', 'acknowledged', 'all'] as const;

export class IncidentAlertQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** waiting: not acknowledged yet (default). */
  @IsOptional()
  @IsIn(ALERT_LIST_STATUSES)
  @ApiPropertyOptional({ enum: ALERT_LIST_STATUSES, default: 'waiting' })
  status: (typeof ALERT_LIST_STATUSES)[number] = 'waiting';

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;
}
