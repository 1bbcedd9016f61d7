import { Module } from '@nestjs/common';
import { StatsModule } from '@guichet/core/stats/stats.module';
import { SiteForecastController, StatsController } from './stats.controller';

@Module({ imports: [StatsModule], controllers: [StatsController, SiteForecastController] })
export class StatsApiModule {}
