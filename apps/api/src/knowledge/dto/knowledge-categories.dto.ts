import { OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.dto';
import { RequiredText } from '../../common/field-decorators';

export class CreateKnowledgeCategoryDto {
  /** The site of the tree (404 if the caller cannot see it). */
  @IsUUID('4')
  siteId: string;

  /** The parent category, of the same site; null or left out for a top-level one. */
  @IsOptional()
  @IsUUID('4')
  parentId?: string | null;

  /** Unique among its siblings, whatever the case. */
  @RequiredText(120)
  name: string;
}

export class UpdateKnowledgeCategoryDto extends PartialType(OmitType(CreateKnowledgeCategoryDto, ['siteId'] as const), {
  skipNullProperties: false,
}) {}

export class KnowledgeCategoryQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

export class KnowledgeCategoryDto {
  id: string;
  siteId: string;
  parentId: string | null;
  name: string;
  createdAt: Date;
}

export class KnowledgeCategoryPageDto {
  items: KnowledgeCategoryDto[];
  total: number;
}
