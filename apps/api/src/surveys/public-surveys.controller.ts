import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { SurveyAnswersService } from '@guichet/core/surveys/survey-answers.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal, Public } from '../common/auth.decorators';
import {
  AnswerSurveyDto,
  CorrectedAnswerDto,
  CorrectSurveyDto,
  KioskRatingDto,
  KioskRatingResultDto,
  PublicSurveyDto,
  PublicSurveyQueryDto,
  SubmittedAnswerDto,
} from './dto/surveys.dto';

/**
 * The survey link `/s/{token}` of an invitation mail: no login, single use, expiring. Unknown
 * token 404, expired 410 `survey_link_expired`, already answered 409 `survey_already_answered`.
 */
@ApiTags('surveys')
@Controller()
export class PublicSurveysController {
  constructor(private readonly answers: SurveyAnswersService) {}

  /** The questions in the invitation's language; with the edit key of the answer, also the answers (while correctable). */
  @Public()
  @Get('public/surveys/:token')
  @ApiOkResponse({ type: PublicSurveyDto })
  @ApiProblems(400, 404, 409, 410)
  view(@Param('token') token: string, @Query() query: PublicSurveyQueryDto): Promise<PublicSurveyDto> {
    return this.answers.view(token, query.editKey);
  }

  /** Answers once; returns the edit key that allows corrections for a short while. */
  @Public()
  @Post('public/surveys/:token/answers')
  @ApiCreatedResponse({ type: SubmittedAnswerDto })
  @ApiProblems(400, 404, 409, 410)
  answer(@Param('token') token: string, @Body() dto: AnswerSurveyDto): Promise<SubmittedAnswerDto> {
    return this.answers.answer(token, dto.answers);
  }

  /** Replaces the answers within the correction window (409 `survey_edit_closed` after it or with a wrong key). */
  @Public()
  @Patch('public/surveys/:token/answers')
  @ApiOkResponse({ type: CorrectedAnswerDto })
  @ApiProblems(400, 404, 409)
  correct(@Param('token') token: string, @Body() dto: CorrectSurveyDto): Promise<CorrectedAnswerDto> {
    return this.answers.correct(token, dto.editKey, dto.answers);
  }

  /** A smiley tapped on a kiosk after service (1–5), stored as a CSAT answer, tied to the ticket when given. */
  @Auth({ scopes: ['kiosk'], minRole: 'agent' })
  @Post('kiosk/ratings')
  @HttpCode(201)
  @ApiCreatedResponse({ type: KioskRatingResultDto })
  @ApiProblems(400, 404, 409)
  kioskRating(@CurrentPrincipal() principal: Principal, @Body() dto: KioskRatingDto): Promise<KioskRatingResultDto> {
    return this.answers.kioskRating(principal, dto);
  }
}
