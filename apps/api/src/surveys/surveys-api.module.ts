import { Module } from '@nestjs/common';
import { SurveysModule } from '@guichet/core/surveys/surveys.module';
import { PublicSurveysController } from './public-surveys.controller';
import { SurveyAdminController } from './survey-admin.controller';
import { SurveyFiguresController } from './survey-figures.controller';

@Module({ imports: [SurveysModule], controllers: [SurveyAdminController, SurveyFiguresController, PublicSurveysController] })
export class SurveysApiModule {}
