import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { SurveyAdminService } from '@guichet/core/surveys/survey-admin.service';
import { ApiIfMatch } from '../common/api-if-match.decorator';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { ExpectedVersion } from '../common/expected-version';
import {
  CreateSurveyRuleDto,
  CreateSurveyTemplateDto,
  SiteQueryDto,
  SurveyRuleDto,
  SurveySettingsDto,
  SurveyTemplateDto,
  UpdateSurveyRuleDto,
  UpdateSurveySettingsDto,
  UpdateSurveyTemplateDto,
} from './dto/surveys.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Survey templates (French and English), sending rules and per-site settings; supervisors. */
@ApiTags('surveys')
@Controller('surveys')
export class SurveyAdminController {
  constructor(private readonly admin: SurveyAdminService) {}

  @Auth({ minRole: 'supervisor' })
  @Get('templates')
  @ApiOkResponse({ type: [SurveyTemplateDto] })
  @ApiProblems(400, 404)
  listTemplates(@CurrentPrincipal() principal: Principal, @Query() query: SiteQueryDto): Promise<SurveyTemplateDto[]> {
    return this.admin.listTemplates(principal, query.siteId);
  }

  /** Every text (title, intro, labels, options) must be given in French and English. */
  @Auth({ minRole: 'supervisor' })
  @Post('templates')
  @ApiCreatedResponse({ type: SurveyTemplateDto })
  @ApiProblems(400, 404, 409)
  createTemplate(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSurveyTemplateDto): Promise<SurveyTemplateDto> {
    const { siteId, ...input } = dto;
    return this.admin.createTemplate(principal, siteId, input);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('templates/:id')
  @ApiOkResponse({ type: SurveyTemplateDto })
  @ApiProblems(400, 404)
  getTemplate(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<SurveyTemplateDto> {
    return this.admin.getTemplate(principal, id);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch('templates/:id')
  @ApiIfMatch()
  @ApiOkResponse({ type: SurveyTemplateDto })
  @ApiProblems(400, 404, 409)
  updateTemplate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSurveyTemplateDto,
    @ExpectedVersion() version?: number,
  ): Promise<SurveyTemplateDto> {
    return this.admin.updateTemplate(principal, id, { ...dto }, version);
  }

  /** Only a template no rule or invitation used; otherwise 409 `template_in_use` (deactivate it). */
  @Auth({ minRole: 'supervisor' })
  @Delete('templates/:id')
  @HttpCode(204)
  @ApiIfMatch()
  @ApiNoContentResponse()
  @ApiProblems(400, 404, 409)
  deleteTemplate(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @ExpectedVersion() version?: number): Promise<void> {
    return this.admin.deleteTemplate(principal, id, version);
  }

  @Auth({ minRole: 'supervisor' })
  @Get('rules')
  @ApiOkResponse({ type: [SurveyRuleDto] })
  @ApiProblems(400, 404)
  listRules(@CurrentPrincipal() principal: Principal, @Query() query: SiteQueryDto): Promise<SurveyRuleDto[]> {
    return this.admin.listRules(principal, query.siteId);
  }

  /**
   * When an interaction of this trigger and channel ends, its visitor (if they consented to
   * surveys and have an e-mail address) is mailed the template after `delayMinutes`. A rule
   * naming the channel wins over one for every channel.
   */
  @Auth({ minRole: 'supervisor' })
  @Post('rules')
  @ApiCreatedResponse({ type: SurveyRuleDto })
  @ApiProblems(400, 404)
  createRule(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSurveyRuleDto): Promise<SurveyRuleDto> {
    return this.admin.createRule(principal, dto);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch('rules/:id')
  @ApiIfMatch()
  @ApiOkResponse({ type: SurveyRuleDto })
  @ApiProblems(400, 404, 409)
  updateRule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSurveyRuleDto,
    @ExpectedVersion() version?: number,
  ): Promise<SurveyRuleDto> {
    return this.admin.updateRule(principal, id, dto, version);
  }

  @Auth({ minRole: 'supervisor' })
  @Delete('rules/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(400, 404)
  deleteRule(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<void> {
    return this.admin.deleteRule(principal, id);
  }

  /** Defaults (30 days between surveys, links valid 168 h, 15 min to correct) until saved. */
  @Auth({ minRole: 'supervisor' })
  @Get('settings/:siteId')
  @ApiOkResponse({ type: SurveySettingsDto })
  @ApiProblems(400, 404)
  getSettings(@CurrentPrincipal() principal: Principal, @Param('siteId', uuid) siteId: string): Promise<SurveySettingsDto> {
    return this.admin.getSettings(principal, siteId);
  }

  @Auth({ minRole: 'supervisor' })
  @Patch('settings/:siteId')
  @ApiIfMatch()
  @ApiOkResponse({ type: SurveySettingsDto })
  @ApiProblems(400, 404, 409)
  updateSettings(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId', uuid) siteId: string,
    @Body() dto: UpdateSurveySettingsDto,
    @ExpectedVersion() version?: number,
  ): Promise<SurveySettingsDto> {
    return this.admin.updateSettings(principal, siteId, dto, version);
  }
}
