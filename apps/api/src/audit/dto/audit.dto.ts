import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/pagination.dto';

const ACTIONS = ['create', 'update', 'delete'] as const;

export class AuditQueryDto {
  /** Kind of record, e.g. `service`, `user`, `api_key`. */
  @IsOptional()
  @IsString()
  @MaxLength(60)
  entity?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityId?: string;

  /** A user or API key id. */
  @IsOptional()
  @IsUUID('4')
  actorId?: string;

  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(ACTIONS)
  @ApiProperty({ enum: ACTIONS, required: false })
  action?: (typeof ACTIONS)[number];

  /** Inclusive lower bound (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  /** Exclusive upper bound (ISO 8601). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;
}

export class AuditEntryDto {
  id: string;
  at: Date;
  @ApiProperty({ enum: ['user', 'api_key', 'system'] })
  actorType: string;
  actorId: string | null;
  /** Name and e-mail of the user, or the key's name, at the time of the change. */
  actorLabel: string;
  siteId: string | null;
  @ApiProperty({ enum: ACTIONS })
  action: string;
  entity: string;
  entityId: string;
  /** Changed fields: `{ field: { from, to } }`; secrets appear as "[redacted]". */
  @ApiProperty({ type: 'object', additionalProperties: true })
  changes: Record<string, unknown>;
  requestId: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
