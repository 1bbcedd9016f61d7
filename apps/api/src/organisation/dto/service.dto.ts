import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsUUID, Min } from 'class-validator';
import type { ServiceInput } from '@guichet/core/organisation/services.service';
import { DescriptionText, Keywords, Nested, OptionalEmail, OptionalNotNull, OptionalText, PhoneNumber, RequiredText } from '../../common/field-decorators';
import { OpeningHoursDto, OpeningStatusDto, SiteScopedQueryDto } from './directory.dto';

export class ServiceLocationDto {
  @OptionalText(100)
  building?: string | null;

  @OptionalText(50)
  floor?: string | null;

  @OptionalText(50)
  office?: string | null;
}

export class CreateServiceDto implements ServiceInput {
  /** The site the service belongs to (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** Unique within the site whatever its case. */
  @RequiredText(200)
  name: string;

  @OptionalText(32)
  code?: string | null;

  @IsOptional()
  @Nested(() => ServiceLocationDto)
  location?: ServiceLocationDto | null;

  @PhoneNumber()
  phone?: string | null;

  @OptionalEmail()
  email?: string | null;

  /** null or left out: the site's hours apply. The site's closures apply either way. */
  @IsOptional()
  @Nested(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto | null;

  /** What the service handles, in the words visitors use; searched. */
  @DescriptionText(4000)
  description?: string;

  /** Extra search words (synonyms, acronyms). */
  @Keywords()
  keywords?: string[];

  /** Inactive services stay listed (filter with `active`) but should not receive referrals. Default: true. */
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class UpdateServiceDto extends PartialType(OmitType(CreateServiceDto, ['siteId'] as const), { skipNullProperties: false }) {
  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ServiceQueryDto extends SiteScopedQueryDto {
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class ServiceDto extends OpeningStatusDto {
  id: string;
  siteId: string;
  name: string;
  code: string | null;
  location: ServiceLocationDto | null;
  phone: string | null;
  email: string | null;
  /** null: the site's hours apply (openNow and nextOpeningAt already account for it). */
  openingHours: OpeningHoursDto | null;
  description: string;
  keywords: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class ServicePageDto {
  @ApiProperty({ type: [ServiceDto] })
  items: ServiceDto[];
  total: number;
}
