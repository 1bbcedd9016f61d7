import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}

export class RefreshDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  refreshToken: string;
}

export class LogoutDto {
  /** Also close the session this refresh token belongs to. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  refreshToken?: string;
}

export class TokenPairDto {
  @ApiProperty({ description: 'JWT to send as `Authorization: Bearer`' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque, single use: exchange it at /auth/refresh for a new pair' })
  refreshToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn: number;
}
