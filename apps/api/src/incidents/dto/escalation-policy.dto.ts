import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { MAX_LEVEL_DELAY_SECONDS, MAX_LEVELS } from '@guichet/core/incidents/escalation-policy';
import { RequiredText } from '../../common/field-decorators';

export class EscalationLevelDto {
  /** Shown to supervisors and in mails ("Responsable de site", "Sécurité"). */
  @RequiredText(100)
  name: string;

  /** Seconds without acknowledgement after the previous level before this one is alerted (> 0). */
  @IsInt()
  @Min(1)
  @Max(MAX_LEVEL_DELAY_SECONDS)
  delaySeconds: number;

  /** The site's supervisors room. */
  @IsBoolean()
  notifySupervisors: boolean;

  /** The admins attached to the site. */
  @IsBoolean()
  notifyAdmins: boolean;

  /** The site's security contacts (securityUserIds, securityEmails). */
  @IsBoolean()
  notifySecurity: boolean;

  /** Designated users of the site (e.g. the site manager). */
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  userIds: string[];

  /** Addresses mailed when sendEmail. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  emails: string[];

  /** Also mail this level's people and addresses. */
  @IsBoolean()
  sendEmail: boolean;
}

export class EscalationPolicyInputDto {
  /** Users alerted live by "call security" and by levels with notifySecurity. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  securityUserIds: string[];

  /** Addresses mailed by "call security" and by levels with notifySecurity. */
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  securityEmails: string[];

  /** In order; level n is alerted after the delays of levels 1..n with nobody acknowledging. */
  @IsArray()
  @ArrayMaxSize(MAX_LEVELS)
  @ValidateNested({ each: true })
  @Type(() => EscalationLevelDto)
  levels: EscalationLevelDto[];
}

export class EscalationPolicyDto {
  siteId: string;
  /** True while the site uses the default chain (version 0). */
  isDefault: boolean;
  securityUserIds: string[];
  securityEmails: string[];
  @ApiProperty({ type: [EscalationLevelDto] })
  levels: EscalationLevelDto[];
  version: number;
  updatedAt: Date | null;
}
