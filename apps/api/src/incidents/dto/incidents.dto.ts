import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsOptional, IsUUID, ValidateIf } from 'class-validator';
import { INCIDENT_SEVERITIES, IncidentSeverity } from '@guichet/core/incidents/escalation-policy';
import {
  INCIDENT_ACTIONS,
  INCIDENT_OUTCOMES,
  INCIDENT_SIGNS,
  INCIDENT_STATUSES,
  IncidentAction,
  IncidentOutcome,
  IncidentSign,
  IncidentStatus,
} from '@guichet/core/incidents/incidents.service';
import { DescriptionText, OptionalText, RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

/** Every field of an incident that can be written; PATCH sends only the ones that change. */
export class IncidentDetailsDto {
  /** When it happened (default: now); not in the future. */
  @ValidateIf((_, v) => v !== undefined)
  @Type(() => Date)
  @IsDate()
  occurredAt?: Date;

  @IsOptional()
  @IsUUID('4')
  visitorId?: string | null;

  @IsOptional()
  @IsUUID('4')
  ticketId?: string | null;

  @IsOptional()
  @IsUUID('4')
  requestId?: string | null;

  @IsOptional()
  @IsUUID('4')
  counterId?: string | null;

  /** Where in the building ("hall", "guichet 3", "parking"). */
  @OptionalText(200)
  place?: string | null;

  /** Signs of tension observed. */
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(INCIDENT_SIGNS.length)
  @IsIn(INCIDENT_SIGNS, { each: true })
  @ApiPropertyOptional({ enum: INCIDENT_SIGNS, isArray: true })
  signs?: IncidentSign[];

  @DescriptionText(4000)
  observations?: string;

  /** What was done: listening, reformulation, a solution proposed, mediation… */
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(INCIDENT_ACTIONS.length)
  @IsIn(INCIDENT_ACTIONS, { each: true })
  @ApiPropertyOptional({ enum: INCIDENT_ACTIONS, isArray: true })
  actions?: IncidentAction[];

  @DescriptionText(4000)
  actionsTaken?: string;

  @IsOptional()
  @IsIn(INCIDENT_OUTCOMES)
  @ApiPropertyOptional({ enum: INCIDENT_OUTCOMES, nullable: true })
  outcome?: IncidentOutcome | null;

  /** The people involved, described without more personal data than needed. */
  @DescriptionText(2000)
  peopleInvolved?: string;

  /** Staff members involved (users of the site). */
  @ValidateIf((_, v) => v !== undefined)
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  involvedUserIds?: string[];
}

export class CreateIncidentDto extends IncidentDetailsDto {
  @IsUUID('4')
  siteId: string;

  @IsIn(INCIDENT_SEVERITIES)
  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  severity: IncidentSeverity;
}

export class UpdateIncidentDto extends IncidentDetailsDto {
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(INCIDENT_SEVERITIES)
  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  severity?: IncidentSeverity;
}

export class CloseIncidentDto {
  /** The follow-up report (compte rendu). */
  @RequiredText(8000)
  report: string;

  @IsOptional()
  @IsIn(INCIDENT_OUTCOMES)
  @ApiPropertyOptional({ enum: INCIDENT_OUTCOMES })
  outcome?: IncidentOutcome;
}

export class IncidentQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(INCIDENT_SEVERITIES)
  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES })
  severity?: IncidentSeverity;

  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  status?: IncidentStatus;

  /** Occurred at or after this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Occurred before this instant (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class IncidentStatsQueryDto {
  @IsUUID('4')
  siteId: string;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class IncidentDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES })
  severity: string;
  @ApiProperty({ enum: INCIDENT_STATUSES })
  status: string;
  occurredAt: Date;
  reportedByUserId: string | null;
  visitorId: string | null;
  ticketId: string | null;
  requestId: string | null;
  counterId: string | null;
  place: string | null;
  @ApiProperty({ enum: INCIDENT_SIGNS, isArray: true })
  signs: string[];
  observations: string;
  @ApiProperty({ enum: INCIDENT_ACTIONS, isArray: true })
  actions: string[];
  actionsTaken: string;
  @ApiProperty({ enum: INCIDENT_OUTCOMES, nullable: true })
  outcome: string | null;
  peopleInvolved: string;
  involvedUserIds: string[];
  report: string | null;
  closedAt: Date | null;
  closedByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class IncidentAlertStepDto {
  /** 0: the immediate alert; n: level n of the site's policy. */
  step: number;
  /** `supervisor` or `security` for step 0; the level's name after. */
  name: string;
  dueAt: Date;
  notifiedAt: Date | null;
  sendEmail: boolean;
  mailSentAt: Date | null;
}

export class IncidentAlertDto {
  id: string;
  incidentId: string;
  siteId: string;
  @ApiProperty({ enum: ['supervisor', 'security'] })
  kind: string;
  raisedByUserId: string | null;
  counterId: string | null;
  place: string | null;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedByUserId: string | null;
  @ApiProperty({ type: [IncidentAlertStepDto] })
  steps: IncidentAlertStepDto[];
}

export class IncidentDetailDto extends IncidentDto {
  @ApiProperty({ type: [IncidentAlertDto] })
  alerts: IncidentAlertDto[];
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentDto] })
  items: IncidentDto[];
  total: number;
}

export class IncidentStatsDto {
  siteId: string;
  /** The IANA zone the hours and weekdays are read in. */
  timeZone: string;
  total: number;
  open: number;
  @ApiProperty({ example: { tension: 3, conflict: 2, aggression: 1, security: 0 } })
  bySeverity: Record<string, number>;
  /** By outcome; `none` while not set. */
  @ApiProperty({ example: { calmed: 4, none: 2 } })
  byOutcome: Record<string, number>;
  /** 24 counts, hour 0 to 23 (site time). */
  @ApiProperty({ type: [Number] })
  byHour: number[];
  /** 7 counts, Monday to Sunday (site time). */
  @ApiProperty({ type: [Number] })
  byWeekday: number[];
  @ApiProperty({ example: { raised: 4, acknowledged: 3, escalated: 1, medianAcknowledgeSeconds: 42 } })
  alerts: { raised: number; acknowledged: number; escalated: number; medianAcknowledgeSeconds: number | null };
}
