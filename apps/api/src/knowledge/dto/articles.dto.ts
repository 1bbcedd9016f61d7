import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ARTICLE_KINDS, type ArticleKind } from '@guichet/core/knowledge/article-rules';
import { IsCalendarDate } from '@guichet/core/organisation/organisation.validators';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalNotNull, OptionalText, RequiredText, SearchText } from '../../common/field-decorators';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AttachmentDto {
  @RequiredText(200)
  name: string;

  /** An http(s) link to the document (forms, leaflets); files are not stored here. */
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url: string;
}

export class CreateArticleDto {
  /** The site whose desk uses the article (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** Default: faq. */
  @OptionalNotNull()
  @IsIn(ARTICLE_KINDS)
  @ApiPropertyOptional({ enum: ARTICLE_KINDS })
  kind?: ArticleKind;

  @RequiredText(300)
  title: string;

  /** Plain text. */
  @RequiredText(50000)
  body: string;

  /** Searched along with the title and the body; the tag filter ignores case. */
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(80, { each: true })
  tags?: string[];

  /** A knowledge category of the same site (422 otherwise). */
  @IsOptional()
  @IsUUID('4')
  categoryId?: string | null;

  /** The service answerable for the content: a service of the same site (422 otherwise). */
  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string | null;

  /** Where the content comes from, e.g. "service-public.fr, fiche F1427". */
  @OptionalText(500)
  source?: string | null;

  /** When the content was last checked, for an article imported from elsewhere (not in the future). Default: now. */
  @OptionalNotNull()
  @Type(() => Date)
  @IsDate()
  reviewedAt?: Date;

  /** YYYY-MM-DD, not in the past: the last day the content is known to hold. */
  @IsOptional()
  @IsCalendarDate()
  reviewDue?: string | null;

  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];

  /** Unpublished articles (drafts) are seen by supervisors and admins only. Default: true. */
  @OptionalNotNull()
  @IsBoolean()
  published?: boolean;
}

export class UpdateArticleDto extends PartialType(OmitType(CreateArticleDto, ['siteId', 'reviewedAt'] as const), { skipNullProperties: false }) {
  /** The version last read (alternative to If-Match); a stale one is refused with 409. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ReviewArticleDto {
  /** The next due date (YYYY-MM-DD, not in the past); null for none. Left out: a due date still ahead is kept, a passed one cleared. */
  @IsOptional()
  @IsCalendarDate()
  reviewDue?: string | null;

  /** The version last read (alternative to If-Match). */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ArticleQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /**
   * French full-text search, accents and case ignored; words missing from an article do not
   * exclude it, typos in titles are tolerated. Ranked best first, with a `score`.
   */
  @SearchText()
  q?: string;

  @IsOptional()
  @IsIn(ARTICLE_KINDS)
  @ApiPropertyOptional({ enum: ARTICLE_KINDS })
  kind?: ArticleKind;

  /** This category and those below it. */
  @IsOptional()
  @IsUUID('4')
  categoryId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(80)
  tag?: string;

  @IsOptional()
  @IsUUID('4')
  ownerServiceId?: string;

  /** true: only articles to review (due date passed or no review for a year); false: only fresh ones. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  stale?: boolean;

  /** Supervisors and admins may list drafts (false); everyone else only sees published articles. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  published?: boolean;
}

export class ArticleDto {
  id: string;
  siteId: string;
  categoryId: string | null;
  @ApiProperty({ enum: ARTICLE_KINDS })
  kind: ArticleKind;
  title: string;
  body: string;
  tags: string[];
  ownerServiceId: string | null;
  source: string | null;
  reviewedAt: Date | null;
  /** YYYY-MM-DD. */
  reviewDue: string | null;
  attachments: AttachmentDto[];
  published: boolean;
  /** Review due date passed, or no review for 365 days: check the content before relying on it. */
  stale: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class ArticleHitDto extends ArticleDto {
  /** Relevance when searching with `q` (higher is better); null otherwise. */
  score: number | null;
}

export class ArticlePageDto {
  @ApiProperty({ type: [ArticleHitDto] })
  items: ArticleHitDto[];
  total: number;
}

export class LinkArticleDto {
  /** An article of the request's site. */
  @IsUUID('4')
  articleId: string;
}

export class RequestArticleLinkDto {
  requestId: string;
  articleId: string;
  linkedByUserId: string | null;
  linkedAt: Date;
}

export class LinkedArticleDto extends ArticleDto {
  linkedAt: Date;
  linkedByUserId: string | null;
}
