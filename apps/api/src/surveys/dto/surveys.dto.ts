import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { FIGURE_GROUPS, FigureGroup } from '@guichet/core/surveys/survey-figures.service';
import { SURVEY_TRIGGERS, SurveyTrigger } from '@guichet/core/surveys/survey-policy';
import { QUESTION_TYPES } from '@guichet/core/surveys/survey-template';
import { PageQueryDto } from '../../common/pagination.dto';

export class SiteQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

class LocalizedTextDoc {
  @ApiProperty() fr: string;
  @ApiProperty() en: string;
}

class QuestionDoc {
  @ApiProperty({ example: 'satisfaction' }) key: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type: string;
  @ApiProperty({ type: LocalizedTextDoc }) label: LocalizedTextDoc;
  @ApiPropertyOptional({ description: 'Default: true except for text questions' }) required?: boolean;
  @ApiPropertyOptional({ description: 'choice only: [{value, label: {fr, en}}]' }) options?: unknown[];
  @ApiPropertyOptional({ description: 'choice only: several options may be picked' }) multiple?: boolean;
  @ApiPropertyOptional({ description: 'choice only: picked options are reasons of dissatisfaction (ranked in the figures)' }) reasons?: boolean;
  @ApiPropertyOptional({ description: 'scale only, 0–10' }) min?: number;
  @ApiPropertyOptional({ description: 'scale only, 0–10' }) max?: number;
}

/**
 * A template's content; the nested questions are checked by the domain (both languages present,
 * options of choices, bounds of scales) so every problem is listed with its path.
 */
export class SurveyTemplateInputDto {
  @ApiProperty() @IsString() @MaxLength(200) name: string;
  @ApiProperty({ type: LocalizedTextDoc }) @IsObject() title: Record<string, unknown>;
  @ApiPropertyOptional({ type: LocalizedTextDoc }) @IsOptional() @IsObject() intro?: Record<string, unknown>;
  @ApiProperty({ type: [QuestionDoc] }) @IsArray() @ArrayMaxSize(50) questions: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

/** The fields given replace the current ones; the resulting template is checked whole. */
export class UpdateSurveyTemplateDto extends PartialType(SurveyTemplateInputDto) {}

export class CreateSurveyTemplateDto extends SurveyTemplateInputDto {
  @ApiProperty() @IsUUID('4') siteId: string;
}

export class SurveyTemplateDto {
  id: string;
  siteId: string;
  name: string;
  @ApiProperty({ type: LocalizedTextDoc }) title: LocalizedTextDoc;
  @ApiProperty({ type: LocalizedTextDoc }) intro: LocalizedTextDoc;
  @ApiProperty({ type: [QuestionDoc] }) questions: QuestionDoc[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export class SurveyRuleInputDto {
  @ApiProperty({ enum: SURVEY_TRIGGERS }) @IsIn(SURVEY_TRIGGERS) trigger: SurveyTrigger;
  /** Channels of the interaction this rule covers (desk, phone, email, web, kiosk, mobile…); empty or absent: all. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsString({ each: true }) @MaxLength(20, { each: true }) channels?: string[];
  @IsUUID('4') templateId: string;
  /** Minutes between the end of the interaction and the mail (default 60). */
  @IsOptional() @IsInt() @Min(0) @Max(60 * 24 * 14) delayMinutes?: number;
  @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateSurveyRuleDto extends PartialType(SurveyRuleInputDto) {}

export class CreateSurveyRuleDto extends SurveyRuleInputDto {
  @IsUUID('4') siteId: string;
}

export class SurveyRuleDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: SURVEY_TRIGGERS }) trigger: string;
  channels: string[];
  templateId: string;
  delayMinutes: number;
  active: boolean;
  version: number;
}

export class SurveySettingsInputDto {
  /** A visitor is sent at most one survey per this many days (0: no limit). */
  @IsInt() @Min(0) @Max(365) minDaysBetween: number;
  /** How long a survey link works after it was sent. */
  @IsInt() @Min(1) @Max(24 * 90) linkValidHours: number;
  /** How long an answer may be corrected after it was sent. */
  @IsInt() @Min(0) @Max(24 * 60) editWindowMinutes: number;
  /** Template the kiosk smileys belong to (its CSAT question); null: none. */
  @IsOptional() @IsUUID('4') kioskTemplateId?: string | null;
}

export class UpdateSurveySettingsDto extends PartialType(SurveySettingsInputDto) {}

export class SurveySettingsDto extends SurveySettingsInputDto {
  siteId: string;
  declare kioskTemplateId: string | null;
  /** 0 until first saved; send it back in If-Match. */
  version: number;
}

export class FigureQueryDto extends SiteQueryDto {
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @IsOptional() @IsUUID('4') serviceId?: string;
  @IsOptional() @IsUUID('4') agentUserId?: string;
  @IsOptional() @IsString() @MaxLength(20) channel?: string;
}

export class FiguresQueryDto extends FigureQueryDto {
  @ApiPropertyOptional({ enum: FIGURE_GROUPS, default: 'service' })
  @IsOptional()
  @IsIn(FIGURE_GROUPS)
  groupBy: FigureGroup = 'service';
}

export class FigureRowDto {
  @ApiPropertyOptional({ nullable: true, description: 'Service or user id, channel, or ISO week (2026-W48); null: not known' })
  key: string | null;
  label: string | null;
  responses: number;
  csatAnswers: number;
  satisfied: number;
  @ApiPropertyOptional({ nullable: true, description: '% of CSAT answers scoring 4–5, one decimal' }) csat: number | null;
  npsAnswers: number;
  promoters: number;
  detractors: number;
  @ApiPropertyOptional({ nullable: true, description: '% promoters (9–10) − % detractors (0–6), one decimal' }) nps: number | null;
  sent: number;
  answered: number;
  @ApiPropertyOptional({ nullable: true, description: '% of sent invitations answered, one decimal' }) responseRate: number | null;
}

export class SurveyFiguresDto {
  from: Date;
  to: Date;
  @ApiProperty({ enum: FIGURE_GROUPS }) groupBy: string;
  total: FigureRowDto;
  @ApiProperty({ type: [FigureRowDto] }) groups: FigureRowDto[];
}

class CountedTagDto {
  tag: string;
  count: number;
}
class CountedThemeDto {
  theme: string;
  count: number;
}

export class DissatisfactionReasonsDto {
  from: Date;
  to: Date;
  dissatisfied: number;
  @ApiProperty({ type: [CountedTagDto] }) tags: CountedTagDto[];
  @ApiProperty({ type: [CountedThemeDto] }) themes: CountedThemeDto[];
}

export class ResponseQueryDto extends PageQueryDto {
  @IsOptional() @IsUUID('4') siteId?: string;
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;
  @IsOptional() @IsUUID('4') serviceId?: string;
  @IsOptional() @IsUUID('4') agentUserId?: string;
  /** Only answers with CSAT ≤ 3 or NPS ≤ 6. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dissatisfied?: boolean;
}

export class SurveyResponseDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: ['link', 'kiosk'] }) source: string;
  templateId: string | null;
  interactionKind: string | null;
  interactionId: string | null;
  visitorId: string | null;
  serviceId: string | null;
  agentUserId: string | null;
  channel: string;
  language: string;
  csat: number | null;
  nps: number | null;
  answers: Record<string, unknown>;
  comment: string | null;
  reasonTags: string[];
  submittedAt: Date;
  updatedAt: Date;
  version: number;
}

export class SurveyResponsePageDto {
  @ApiProperty({ type: [SurveyResponseDto] }) items: SurveyResponseDto[];
  total: number;
}

export class ReasonTagsDto {
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) tags: string[];
}

export class AnswerSurveyDto {
  /** Question key → answer: an integer for csat (1–5), nps (0–10) and scale, an option value (or list) for choice, a text. */
  @ApiProperty({ example: { satisfaction: 4, recommend: 9, comment: 'Merci' } })
  @IsObject()
  answers: Record<string, unknown>;
}

export class CorrectSurveyDto extends AnswerSurveyDto {
  /** The key returned by the first answer. */
  @IsString() @Matches(/^[A-Za-z0-9_-]{43}$/) editKey: string;
}

export class PublicSurveyQueryDto {
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{43}$/) editKey?: string;
}

class PublicQuestionDto {
  key: string;
  @ApiProperty({ enum: QUESTION_TYPES }) type: string;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
  multiple?: boolean;
  min?: number;
  max?: number;
}

export class PublicSurveyDto {
  @ApiProperty({ enum: ['fr', 'en'] }) language: string;
  siteName: string;
  title: string;
  intro: string;
  @ApiProperty({ type: [PublicQuestionDto] }) questions: PublicQuestionDto[];
  expiresAt: Date;
  answers?: Record<string, unknown>;
  editableUntil?: Date;
}

export class SubmittedAnswerDto {
  responseId: string;
  editKey: string;
  editableUntil: Date;
}

export class CorrectedAnswerDto {
  responseId: string;
  editableUntil: Date;
}

export class KioskRatingDto {
  @IsUUID('4') siteId: string;
  /** 1 (very unhappy) to 5 (very happy). */
  @IsInt() @Min(1) @Max(5) score: number;
  /** The ticket just served, when known. */
  @IsOptional() @IsUUID('4') ticketId?: string;
  /** Or its number as printed (today's ticket of this site), e.g. A012. */
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,3}-?\d{1,4}$/) ticketNumber?: string;
  @IsOptional() @IsIn(['fr', 'en']) language?: string;
}

export class KioskRatingResultDto {
  responseId: string;
}
