import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import type {
  CreateRequestCategoryInput,
  RequestCategoryQuery,
  UpdateRequestCategoryInput,
} from '@guichet/core/requests/request-categories.service';
import { PageQueryDto } from '../../common/pagination.dto';
import { OptionalNotNull, RequiredText } from '../../common/field-decorators';

export class CreateRequestCategoryDto implements CreateRequestCategoryInput {
  /** The site whose taxonomy this belongs to (404 if the caller cannot see it); it cannot change later. */
  @IsUUID('4')
  siteId: string;

  /** Unique among its siblings whatever its case. */
  @RequiredText(120)
  name: string;

  /** A category of the same site; left out for a top-level one. */
  @IsOptional()
  @IsUUID('4')
  parentId?: string | null;
}

export class UpdateRequestCategoryDto implements UpdateRequestCategoryInput {
  @OptionalNotNull()
  @RequiredText(120)
  name?: string;

  /** Moves the category (not under itself or one of its subcategories); null makes it top-level. */
  @IsOptional()
  @IsUUID('4')
  parentId?: string | null;

  /** Inactive categories stay on the requests that have them but cannot be chosen any more. */
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class RequestCategoryQueryDto extends PageQueryDto implements RequestCategoryQuery {
  /** Only this site (404 if the caller cannot see it); default: every site of the caller. */
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class RequestCategoryDto {
  id: string;
  siteId: string;
  parentId: string | null;
  name: string;
  /** Names from the top-level category down to this one. */
  @ApiProperty({ type: [String] })
  path: string[];
  active: boolean;
  createdAt: Date;
}

export class RequestCategoryPageDto {
  @ApiProperty({ type: [RequestCategoryDto] })
  items: RequestCategoryDto[];
  total: number;
}
