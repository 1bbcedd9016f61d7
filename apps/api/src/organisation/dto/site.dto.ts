import { ApiProperty, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { IsIanaTimeZone } from '@guichet/core/organisation/organisation.validators';
import type { SiteInput } from '@guichet/core/organisation/sites.service';
import { PageQueryDto } from '../../common/pagination.dto';
import { Nested, OptionalEmail, OptionalNotNull, OptionalText, PhoneNumber, RequiredText, SearchText } from '../../common/field-decorators';
import { AddressDto, ClosureDto, OpeningHoursDto, OpeningStatusDto } from './directory.dto';

export class CreateSiteDto implements SiteInput {
  @RequiredText(200)
  name: string;

  /** Short code, unique whatever its case (letters, digits, - and _). */
  @OptionalText(32)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: '$property must be letters, digits, - or _' })
  code?: string | null;

  @IsOptional()
  @Nested(() => AddressDto)
  address?: AddressDto | null;

  @PhoneNumber()
  phone?: string | null;

  @OptionalEmail()
  email?: string | null;

  /** IANA time zone, e.g. `Europe/Paris`; all hours and dates of the site are read in it. */
  @IsString()
  @IsIanaTimeZone()
  timeZone: string;

  /** Default: closed every day. */
  @OptionalNotNull()
  @Nested(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto;

  /** Closures and public holidays. Default: none. */
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ClosureDto)
  closures?: ClosureDto[];

  /** An itinerant reception point (agents on tablets). Default: false. */
  @OptionalNotNull()
  @IsBoolean()
  mobile?: boolean;
}

export class UpdateSiteDto extends PartialType(CreateSiteDto, { skipNullProperties: false }) {
  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SiteQueryDto extends PageQueryDto {
  @SearchText()
  q?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  mobile?: boolean;
}

export class SiteDto extends OpeningStatusDto {
  id: string;
  name: string;
  code: string | null;
  address: AddressDto | null;
  phone: string | null;
  email: string | null;
  timeZone: string;
  openingHours: OpeningHoursDto;
  closures: ClosureDto[];
  mobile: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Send it back in If-Match (or `version`) when changing the site. */
  version: number;
}

export class SitePageDto {
  @ApiProperty({ type: [SiteDto] })
  items: SiteDto[];
  total: number;
}
