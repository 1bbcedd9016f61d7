import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { StatsService } from '@guichet/core/stats/stats.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import {
  FlowStatsDto,
  FlowStatsQueryDto,
  ForecastDto,
  ForecastQueryDto,
  SiteForecastDto,
  SiteForecastQueryDto,
  StaffingDto,
  StaffingQueryDto,
} from './dto/stats.dto';

/** Figures for supervisors and integrators: past flow, expected arrivals, counters needed. */
@ApiTags('stats')
@Auth({ minRole: 'supervisor', scopes: ['tickets:read'] })
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  /** Arrivals, outcomes, waits and service times per queue, by hour, weekday, month or day of the site. */
  @Get('flow')
  @ApiOkResponse({ type: FlowStatsDto })
  @ApiProblems(400, 404)
  flow(@CurrentPrincipal() principal: Principal, @Query() query: FlowStatsQueryDto): Promise<FlowStatsDto> {
    return this.stats.flowStats(principal, query);
  }

  /** Expected arrivals per hour for the coming days: same weekday and hour of the last weeks, holidays aside. */
  @Get('forecast')
  @ApiOkResponse({ type: ForecastDto })
  @ApiProblems(400, 404)
  forecast(@CurrentPrincipal() principal: Principal, @Query() query: ForecastQueryDto): Promise<ForecastDto> {
    return this.stats.forecast(principal, query);
  }

  /** Counters needed each hour of a day to meet a service level (Erlang C on the forecast). */
  @Get('staffing')
  @ApiOkResponse({ type: StaffingDto })
  @ApiProblems(400, 404)
  staffing(@CurrentPrincipal() principal: Principal, @Query() query: StaffingQueryDto): Promise<StaffingDto> {
    return this.stats.staffing(principal, query);
  }
}

/** The site-wide forecast of the API contract: per queue, arrivals per hour and the counters they need. */
@ApiTags('stats')
@Auth({ minRole: 'supervisor', scopes: ['tickets:read'] })
@Controller('forecast')
export class SiteForecastController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @ApiOkResponse({ type: SiteForecastDto })
  @ApiProblems(400, 404)
  forecast(@CurrentPrincipal() principal: Principal, @Query() query: SiteForecastQueryDto): Promise<SiteForecastDto> {
    return this.stats.siteForecast(principal, query);
  }
}
