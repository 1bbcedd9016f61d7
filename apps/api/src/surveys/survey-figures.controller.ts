import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { SurveyFiguresService } from '@guichet/core/surveys/survey-figures.service';
import { SurveyResponsesService } from '@guichet/core/surveys/survey-responses.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  DissatisfactionReasonsDto,
  FigureQueryDto,
  FiguresQueryDto,
  ReasonTagsDto,
  ResponseQueryDto,
  SurveyFiguresDto,
  SurveyResponseDto,
  SurveyResponsePageDto,
} from './dto/surveys.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/**
 * Satisfaction figures (CSAT, NPS, response rate) by service, agent, channel or ISO week, the
 * ranked reasons of dissatisfaction, the answers themselves and their reason tags; supervisors.
 * Period: `from` inclusive, `to` exclusive (default: the last 90 days). Live: `survey.answered`.
 */
@ApiTags('surveys')
@Controller('surveys')
export class SurveyFiguresController {
  constructor(
    private readonly figures: SurveyFiguresService,
    private readonly responses: SurveyResponsesService,
  ) {}

  @Auth({ minRole: 'supervisor' })
  @Get('figures')
  @ApiOkResponse({ type: SurveyFiguresDto })
  @ApiProblems(400, 404)
  get(@CurrentPrincipal() principal: Principal, @Query() query: FiguresQueryDto): Promise<SurveyFiguresDto> {
    const { groupBy, ...filter } = query;
    return this.figures.figures(principal, groupBy, filter);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('figures.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="satisfaction.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'One line per group, then the total' })
  @ApiProblems(400, 404)
  csv(@CurrentPrincipal() principal: Principal, @Query() query: FiguresQueryDto): Promise<string> {
    const { groupBy, ...filter } = query;
    return this.figures.figuresCsv(principal, groupBy, filter);
  }

  /** Reason tags and comment themes of the dissatisfied answers (CSAT ≤ 3 or NPS ≤ 6), most frequent first. */
  @Auth({ minRole: 'supervisor' })
  @Get('reasons')
  @ApiOkResponse({ type: DissatisfactionReasonsDto })
  @ApiProblems(400, 404)
  reasons(@CurrentPrincipal() principal: Principal, @Query() query: FigureQueryDto): Promise<DissatisfactionReasonsDto> {
    return this.figures.reasons(principal, query);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('reasons.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="dissatisfaction-reasons.csv"')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'kind (tag or theme), reason, count' })
  @ApiProblems(400, 404)
  reasonsCsv(@CurrentPrincipal() principal: Principal, @Query() query: FigureQueryDto): Promise<string> {
    return this.figures.reasonsCsv(principal, query);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('responses')
  @ApiOkResponse({ type: SurveyResponsePageDto })
  @ApiProblems(400, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ResponseQueryDto): Promise<SurveyResponsePageDto> {
    return this.responses.list(principal, query);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('responses/:id')
  @ApiOkResponse({ type: SurveyResponseDto })
  @ApiProblems(400, 404)
  getOne(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<SurveyResponseDto> {
    return this.responses.get(principal, id);
  }

  /** Sets the reasons of dissatisfaction of one answer (slugs such as `waiting`); they are ranked in /surveys/reasons. */
  @Auth({ minRole: 'supervisor' })
  @Patch('responses/:id/tags')
  @ApiIfMatch()
  @ApiOkResponse({ type: SurveyResponseDto })
  @ApiProblems(400, 404, 409)
  setTags(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReasonTagsDto,
    @ExpectedVersion() version?: number,
  ): Promise<SurveyResponseDto> {
    return this.responses.setTags(principal, id, dto.tags, version);
  }
}
