import { Module } from '@nestjs/common';
import { SurveyAdminService } from './survey-admin.service';
import { SurveyAnswersService } from './survey-answers.service';
import { SurveyFiguresService } from './survey-figures.service';
import { SurveyResponsesService } from './survey-responses.service';

/** Surveys for the API: templates, rules and settings, public answers and kiosk smileys, figures. */
@Module({
  providers: [SurveyAdminService, SurveyAnswersService, SurveyFiguresService, SurveyResponsesService],
  exports: [SurveyAdminService, SurveyAnswersService, SurveyFiguresService, SurveyResponsesService],
})
export class SurveysModule {}
