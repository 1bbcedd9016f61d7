import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinDate,
  MinLength,
} from 'class-validator';
import { SCOPE_NAMES, type Scope } from '@guichet/core/identity/scopes';
import { PageQueryDto } from '../../common/pagination.dto';

export class CreateApiKeyDto {
  /** What or who uses the key, e.g. "Borne hall A" or "Prise de RDV en ligne". */
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPE_NAMES.length)
  @ArrayUnique()
  @IsIn(SCOPE_NAMES, { each: true })
  @ApiProperty({ enum: SCOPE_NAMES, isArray: true })
  scopes: Scope[];

  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  siteIds: string[];

  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}

export class ApiKeyQueryDto extends PageQueryDto {
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeRevoked?: boolean;
}

export class ApiKeyDto {
  id: string;
  name: string;
  /** First characters of the key, to recognise it. */
  prefix: string;
  @ApiProperty({ enum: SCOPE_NAMES, isArray: true })
  scopes: string[];
  siteIds: string[];
  createdByUserId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The clear key, shown this once: send it as `X-Api-Key`. */
  key: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto] })
  items: ApiKeyDto[];
  total: number;
}
