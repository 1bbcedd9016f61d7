import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { type Role, ROLES } from '@guichet/core/identity/principal';
import { PageQueryDto } from '../../common/pagination.dto';

export class CreateUserDto {
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName: string;

  @IsIn(ROLES)
  @ApiProperty({ enum: ROLES })
  role: Role;

  /** Sites the user works on; every read and write of theirs is limited to these. */
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  siteIds: string[];

  /** The service the agent belongs to (decides who may read confidential notes). */
  @IsOptional()
  @IsUUID('4')
  serviceId?: string;

  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';
}

export class UpdateUserDto {
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName?: string;

  @IsOptional()
  @IsIn(ROLES)
  @ApiPropertyOptional({ enum: ROLES })
  role?: Role;

  /** Replaces the caller's sites among the user's sites (other sites are kept). */
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  siteIds?: string[];

  @IsOptional()
  @IsUUID('4')
  serviceId?: string | null;

  @IsOptional()
  @IsIn(['fr', 'en'])
  locale?: 'fr' | 'en';

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** The version last read (alternative to If-Match). */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class UserQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;

  /** Part of the name (accents ignored) or of the e-mail. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UserDto {
  id: string;
  email: string;
  displayName: string;
  @ApiProperty({ enum: ROLES })
  role: Role;
  serviceId: string | null;
  locale: 'fr' | 'en';
  active: boolean;
  siteIds: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] })
  items: UserDto[];
  total: number;
}
