import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { IsCalendarDate } from '@guichet/core/organisation/organisation.validators';
import { normalisePhone, VISITOR_NEEDS, VISITOR_TYPES, type VisitorNeed, type VisitorType } from '@guichet/core/visitors/visitor-rules';
import { PageQueryDto } from '../../common/pagination.dto';
import { Nested, OptionalNotNull, OptionalText } from '../../common/field-decorators';

/** Any usual way of writing a number (French when there is no +prefix); stored in E.164. */
function PhoneNumber(): PropertyDecorator {
  return applyDecorators(
    OptionalText(40),
    ValidateBy({
      name: 'isPhoneNumber',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalisePhone(value) !== null,
        defaultMessage: () => '$property must be a valid phone number, e.g. 06 12 34 56 78 or +33 6 12 34 56 78',
      },
    }),
  );
}

export class VisitorAddressDto {
  @OptionalText(200)
  street?: string | null;

  @OptionalText(20)
  postalCode?: string | null;

  @OptionalText(100)
  city?: string | null;

  /** ISO 3166-1 alpha-2, e.g. FR. */
  @OptionalText(2)
  @IsISO31661Alpha2()
  country?: string | null;
}

export class ConsentInputDto {
  /** The server records when; withdrawing (false) clears the purposes. */
  @IsBoolean()
  given: boolean;

  /** What the person agreed to, e.g. `contact`, `surveys` (needed to receive satisfaction surveys); required when given. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(100, { each: true })
  purposes?: string[];
}

export class CreateVisitorDto {
  /** The site where the person was met (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** Default: citizen. */
  @OptionalNotNull()
  @IsIn(VISITOR_TYPES)
  @ApiPropertyOptional({ enum: VISITOR_TYPES })
  type?: VisitorType;

  /** Every name and contact field is optional: an anonymous walk-in can be completed later. */
  @OptionalText(100)
  firstName?: string | null;

  @OptionalText(100)
  lastName?: string | null;

  /** Any usual format; answered in E.164 (+33612345678). Numbers without +prefix are read as French. */
  @PhoneNumber()
  phone?: string | null;

  @OptionalText(254)
  @IsEmail()
  email?: string | null;

  @IsOptional()
  @Nested(() => VisitorAddressDto)
  address?: VisitorAddressDto | null;

  /** BCP 47 primary language subtag: fr, en, ar… */
  @OptionalText(3)
  @Matches(/^[A-Za-z]{2,3}$/, { message: '$property must be a two- or three-letter language code such as fr, en or ar' })
  preferredLanguage?: string | null;

  /** A set: duplicates are refused. `other` needs `needsOther`. */
  @OptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsIn(VISITOR_NEEDS, { each: true })
  @ApiPropertyOptional({ enum: VISITOR_NEEDS, isArray: true })
  needs?: VisitorNeed[];

  /** What the `other` need is; only with that need. */
  @OptionalText(500)
  needsOther?: string | null;

  @OptionalNotNull()
  @Nested(() => ConsentInputDto)
  consent?: ConsentInputDto;

  /** YYYY-MM-DD, not in the past. Default: three years after the last contact (each write is one). */
  @OptionalNotNull()
  @IsCalendarDate()
  retentionUntil?: string | null;

  @OptionalText(5000)
  notes?: string | null;
}

export class UpdateVisitorDto extends PartialType(OmitType(CreateVisitorDto, ['siteId'] as const), { skipNullProperties: false }) {
  /** Send null to go back to the default retention (three years from now). */
  @IsOptional()
  @IsCalendarDate()
  override retentionUntil?: string | null;

  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class VisitorQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @IsIn(VISITOR_TYPES)
  @ApiPropertyOptional({ enum: VISITOR_TYPES })
  type?: VisitorType;

  /** Visitors having this need. */
  @IsOptional()
  @IsIn(VISITOR_NEEDS)
  @ApiPropertyOptional({ enum: VISITOR_NEEDS })
  need?: VisitorNeed;

  /**
   * A name (partial, misspelt or without accents), a phone in any format, or an e-mail.
   * Results are ranked best first, with a `score`.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** Alias of `search`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class DuplicateQueryDto {
  /** Duplicates are looked for in this site (the one the visitor would be created in). */
  @IsUUID('4')
  siteId: string;

  @OptionalText(100)
  firstName?: string;

  @OptionalText(100)
  lastName?: string;

  @PhoneNumber()
  phone?: string;

  @OptionalText(254)
  email?: string;
}

export class MergeVisitorDto {
  /** The duplicate to fold into the visitor of the path; it becomes a read-only tombstone. */
  @IsUUID('4')
  sourceVisitorId: string;

  /** The target's version last read (alternative to If-Match). */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ConsentDto {
  given: boolean;
  /** When it was given (set by the server). */
  at: Date | null;
  purposes: string[];
}

export class VisitorDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: VISITOR_TYPES })
  type: VisitorType;
  /** Names, else e-mail, else phone, else `#` and the id's first eight characters. */
  displayName: string;
  /** No name, phone or e-mail: the person cannot be recognised next time. */
  anonymous: boolean;
  firstName: string | null;
  lastName: string | null;
  /** E.164. */
  phone: string | null;
  email: string | null;
  address: VisitorAddressDto | null;
  preferredLanguage: string | null;
  /** Shown as badges wherever the visitor appears. */
  @ApiProperty({ enum: VISITOR_NEEDS, isArray: true })
  needs: VisitorNeed[];
  needsOther: string | null;
  consent: ConsentDto;
  /** YYYY-MM-DD. */
  retentionUntil: string | null;
  notes: string | null;
  /** Set when this visitor was merged into another: it is read-only, follow this id. */
  mergedIntoId: string | null;
  createdByUserId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class VisitorHitDto extends VisitorDto {
  /** Match quality in [0, 1] when searching (1 for a phone or e-mail match); null otherwise. */
  score: number | null;
}

export class VisitorPageDto {
  @ApiProperty({ type: [VisitorHitDto] })
  items: VisitorHitDto[];
  total: number;
}

const DUPLICATE_REASONS = ['same_phone', 'same_email', 'similar_name'] as const;

export class DuplicateCandidateDto {
  id: string;
  displayName: string;
  /** Likelihood of being the same person, in [0, 1]. */
  score: number;
  @ApiProperty({ enum: DUPLICATE_REASONS, isArray: true })
  reasons: (typeof DUPLICATE_REASONS)[number][];
}

export class CreatedVisitorDto extends VisitorDto {
  /** Existing visitors of the site that may be the same person (the visitor is created anyway). */
  @ApiProperty({ type: [DuplicateCandidateDto] })
  duplicates: DuplicateCandidateDto[];
}

export class MovedHistoryDto {
  requests: number;
  phoneCalls: number;
  tickets: number;
  appointments: number;
  incidents: number;
  callbacks: number;
  complaints: number;
  surveyResponses: number;
}

export class MergedVisitorDto extends VisitorDto {
  /** History rows moved from the source. */
  moved: MovedHistoryDto;
}

const ERASURE_OUTCOMES = ['deleted', 'anonymised'] as const;

export class VisitorErasureDto {
  id: string;
  /** `deleted` when nothing referred to the visitor, `anonymised` when its history had to stay. */
  @ApiProperty({ enum: ERASURE_OUTCOMES })
  outcome: (typeof ERASURE_OUTCOMES)[number];
}
