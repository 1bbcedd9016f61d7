import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUrl, IsUUID, Min } from 'class-validator';
import type { PartnerInput } from '@guichet/core/organisation/partners.service';
import {
  DescriptionText,
  Keywords,
  Nested,
  OptionalEmail,
  OptionalNotNull,
  OptionalText,
  PhoneNumber,
  RequiredText,
} from '../../common/field-decorators';
import { AddressDto, OpeningHoursDto, OpeningStatusDto, SiteScopedQueryDto } from './directory.dto';

export class CreatePartnerDto implements PartnerInput {
  /** The site whose directory lists the partner (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** The organisation, e.g. "CAF de la Gironde"; unique within the site whatever its case. */
  @RequiredText(200)
  name: string;

  /** What the partner handles, in the words visitors use; searched. */
  @DescriptionText(4000)
  description?: string;

  /** Extra search words (acronyms, benefits handled). */
  @Keywords()
  keywords?: string[];

  @IsOptional()
  @Nested(() => AddressDto)
  address?: AddressDto | null;

  @PhoneNumber()
  phone?: string | null;

  @OptionalEmail()
  email?: string | null;

  /** http(s) address. */
  @OptionalText(500)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  website?: string | null;

  /** Local time of the site; null or left out: unknown. */
  @IsOptional()
  @Nested(() => OpeningHoursDto)
  openingHours?: OpeningHoursDto | null;
}

export class UpdatePartnerDto extends PartialType(OmitType(CreatePartnerDto, ['siteId'] as const), { skipNullProperties: false }) {
  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class PartnerDto extends OpeningStatusDto {
  id: string;
  siteId: string;
  name: string;
  description: string;
  keywords: string[];
  address: AddressDto | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  /** null: unknown (then openNow and nextOpeningAt are null too). */
  openingHours: OpeningHoursDto | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class PartnerPageDto {
  @ApiProperty({ type: [PartnerDto] })
  items: PartnerDto[];
  total: number;
}
