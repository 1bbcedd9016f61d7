import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, diffFields } from '../audit/audit.service';
import { ConflictError, NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { listedSiteIds } from '../organisation/directory';
import { DEFAULT_SURVEY_SETTINGS, SURVEY_TRIGGERS, SurveyTrigger } from './survey-policy';
import { LocalizedText, parseTemplate, SurveyQuestion } from './survey-template';

export interface SurveyTemplateView {
  id: string;
  siteId: string;
  name: string;
  title: LocalizedText;
  intro: LocalizedText;
  questions: SurveyQuestion[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface SurveyRuleView {
  id: string;
  siteId: string;
  trigger: SurveyTrigger;
  /** Empty: every channel. */
  channels: string[];
  templateId: string;
  delayMinutes: number;
  active: boolean;
  version: number;
}

export interface SurveySettingsView {
  siteId: string;
  minDaysBetween: number;
  linkValidHours: number;
  editWindowMinutes: number;
  /** Template whose CSAT question the kiosk smileys answer; null: the smiley is stored without template. */
  kioskTemplateId: string | null;
  /** 0 until the site's settings were first saved. */
  version: number;
}

export interface RuleInput {
  siteId: string;
  trigger: SurveyTrigger;
  channels?: string[];
  templateId: string;
  delayMinutes?: number;
  active?: boolean;
}

const SELECT_TEMPLATE = `SELECT id, site_id AS "siteId", name, title, intro, questions, active, created_at AS "createdAt",
  updated_at AS "updatedAt", version FROM survey_templates`;
const SELECT_RULE = `SELECT id, site_id AS "siteId", trigger, channels, template_id AS "templateId", delay_minutes AS "delayMinutes",
  active, version FROM survey_rules`;
const CHANNEL = /^[a-z][a-z_]{1,19}$/;

/** Supervisors' side of surveys: bilingual templates, sending rules and per-site settings. */
@Injectable()
export class SurveyAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async listTemplates(principal: Principal, siteId?: string): Promise<SurveyTemplateView[]> {
    return (await this.dataSource.query(`${SELECT_TEMPLATE} WHERE site_id = ANY($1) ORDER BY lower(name), id`, [
      listedSiteIds(principal, siteId),
    ])) as SurveyTemplateView[];
  }

  async getTemplate(principal: Principal, id: string, manager: EntityManager = this.dataSource.manager): Promise<SurveyTemplateView> {
    const [row] = (await manager.query(`${SELECT_TEMPLATE} WHERE id = $1`, [id])) as SurveyTemplateView[];
    if (!row) throw new NotFoundError('SurveyTemplate', id);
    assertSiteAccess(principal, row.siteId, 'SurveyTemplate', id);
    return row;
  }

  async createTemplate(principal: Principal, siteId: string, input: Record<string, unknown>): Promise<SurveyTemplateView> {
    assertSiteAccess(principal, siteId);
    const def = parseTemplate(input);
    return this.dataSource.transaction(async (manager) => {
      const [created] = (await manager.query(
        `INSERT INTO survey_templates (site_id, name, title, intro, questions, active)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (site_id, lower(name)) DO NOTHING
         RETURNING id`,
        [siteId, def.name, def.title, def.intro, JSON.stringify(def.questions), input.active !== false],
      )) as { id: string }[];
      if (!created) throw new ConflictError(`A survey template named ${def.name} already exists on this site`, 'duplicate_name');
      const view = await this.getTemplate(principal, created.id, manager);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'SurveyTemplate',
        entityId: view.id,
        siteId,
        changes: diffFields(null, view, ['name', 'title', 'intro', 'questions', 'active']),
      });
      return view;
    });
  }

  /**
   * Changes the fields given (the result is checked whole). Past answers keep the keys they were
   * given: figures read the csat/nps columns, not the questions.
   */
  async updateTemplate(principal: Principal, id: string, input: Record<string, unknown>, expected?: number): Promise<SurveyTemplateView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.lockTemplate(manager, principal, id, expected);
      const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      const merged = { name: before.name, title: before.title, intro: before.intro, questions: before.questions, active: before.active, ...given };
      const def = parseTemplate(merged);
      const [clash] = (await manager.query(`SELECT 1 FROM survey_templates WHERE site_id = $1 AND lower(name) = lower($2) AND id <> $3`, [
        before.siteId,
        def.name,
        id,
      ])) as unknown[];
      if (clash) throw new ConflictError(`A survey template named ${def.name} already exists on this site`, 'duplicate_name');
      await manager.query(
        `UPDATE survey_templates SET name = $2, title = $3, intro = $4, questions = $5, active = $6, updated_at = now(), version = version + 1
          WHERE id = $1`,
        [id, def.name, def.title, def.intro, JSON.stringify(def.questions), merged.active === true],
      );
      const after = await this.getTemplate(principal, id, manager);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'SurveyTemplate',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, after, ['name', 'title', 'intro', 'questions', 'active']),
      });
      return after;
    });
  }

  /** Deletes a template nobody used; one with rules or invitations is refused (deactivate it instead). */
  async deleteTemplate(principal: Principal, id: string, expected?: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.lockTemplate(manager, principal, id, expected);
      const [used] = (await manager.query(
        `SELECT 1 FROM survey_rules WHERE template_id = $1 UNION ALL SELECT 1 FROM survey_invitations WHERE template_id = $1 LIMIT 1`,
        [id],
      )) as unknown[];
      if (used) throw new ConflictError('This template is used by rules or invitations: deactivate it instead', 'template_in_use');
      await manager.query(`DELETE FROM survey_templates WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'SurveyTemplate',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, null, ['name', 'active']),
      });
    });
  }

  async listRules(principal: Principal, siteId?: string): Promise<SurveyRuleView[]> {
    return (await this.dataSource.query(`${SELECT_RULE} WHERE site_id = ANY($1) ORDER BY trigger, created_at, id`, [
      listedSiteIds(principal, siteId),
    ])) as SurveyRuleView[];
  }

  async createRule(principal: Principal, input: RuleInput): Promise<SurveyRuleView> {
    assertSiteAccess(principal, input.siteId);
    const rule = this.checkRule(input);
    return this.dataSource.transaction(async (manager) => {
      await this.assertTemplateOfSite(manager, rule.templateId, input.siteId);
      const [created] = (await manager.query(
        `INSERT INTO survey_rules (site_id, trigger, channels, template_id, delay_minutes, active) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id`,
        [input.siteId, rule.trigger, rule.channels, rule.templateId, rule.delayMinutes, rule.active],
      )) as { id: string }[];
      const view = await this.getRule(manager, principal, created.id);
      await this.audit.record(manager, {
        action: 'create',
        entity: 'SurveyRule',
        entityId: view.id,
        siteId: view.siteId,
        changes: diffFields(null, view, ['trigger', 'channels', 'templateId', 'delayMinutes', 'active']),
      });
      return view;
    });
  }

  /** Changes the fields given. */
  async updateRule(principal: Principal, id: string, input: Partial<Omit<RuleInput, 'siteId'>>, expected?: number): Promise<SurveyRuleView> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.getRule(manager, principal, id, true);
      if (expected !== undefined && expected !== before.version) throw new ConflictError('The rule changed meanwhile', 'stale_version');
      const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      const rule = this.checkRule({ ...before, ...given });
      await this.assertTemplateOfSite(manager, rule.templateId, before.siteId);
      await manager.query(
        `UPDATE survey_rules SET trigger = $2, channels = $3, template_id = $4, delay_minutes = $5, active = $6, updated_at = now(),
                version = version + 1 WHERE id = $1`,
        [id, rule.trigger, rule.channels, rule.templateId, rule.delayMinutes, rule.active],
      );
      const after = await this.getRule(manager, principal, id);
      await this.audit.record(manager, {
        action: 'update',
        entity: 'SurveyRule',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, after, ['trigger', 'channels', 'templateId', 'delayMinutes', 'active']),
      });
      return after;
    });
  }

  async deleteRule(principal: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.getRule(manager, principal, id, true);
      await manager.query(`DELETE FROM survey_rules WHERE id = $1`, [id]);
      await this.audit.record(manager, {
        action: 'delete',
        entity: 'SurveyRule',
        entityId: id,
        siteId: before.siteId,
        changes: diffFields(before, null, ['trigger', 'templateId']),
      });
    });
  }

  async getSettings(principal: Principal, siteId: string, manager: EntityManager = this.dataSource.manager): Promise<SurveySettingsView> {
    assertSiteAccess(principal, siteId);
    const [row] = (await manager.query(
      `SELECT site_id AS "siteId", min_days_between AS "minDaysBetween", link_valid_hours AS "linkValidHours",
              edit_window_minutes AS "editWindowMinutes", kiosk_template_id AS "kioskTemplateId", version
         FROM survey_settings WHERE site_id = $1`,
      [siteId],
    )) as SurveySettingsView[];
    return row ?? { siteId, ...DEFAULT_SURVEY_SETTINGS, kioskTemplateId: null, version: 0 };
  }

  /** Changes the settings given; the others keep their current (or default) value. */
  async updateSettings(
    principal: Principal,
    siteId: string,
    changes: Partial<Omit<SurveySettingsView, 'siteId' | 'version'>>,
    expected?: number,
  ): Promise<SurveySettingsView> {
    assertSiteAccess(principal, siteId);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM sites WHERE id = $1 FOR UPDATE`, [siteId]);
      const before = await this.getSettings(principal, siteId, manager);
      if (expected !== undefined && expected !== before.version) throw new ConflictError('The settings changed meanwhile', 'stale_version');
      const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const input = { ...before, ...given };
      if (input.kioskTemplateId) await this.assertTemplateOfSite(manager, input.kioskTemplateId, siteId, 'kioskTemplateId');
      await manager.query(
        `INSERT INTO survey_settings (site_id, min_days_between, link_valid_hours, edit_window_minutes, kiosk_template_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id) DO UPDATE SET min_days_between = $2, link_valid_hours = $3, edit_window_minutes = $4,
           kiosk_template_id = $5, updated_at = now(), version = survey_settings.version + 1`,
        [siteId, input.minDaysBetween, input.linkValidHours, input.editWindowMinutes, input.kioskTemplateId ?? null],
      );
      const after = await this.getSettings(principal, siteId, manager);
      await this.audit.record(manager, {
        action: before.version === 0 ? 'create' : 'update',
        entity: 'SurveySettings',
        entityId: siteId,
        siteId,
        changes: diffFields(before, after, ['minDaysBetween', 'linkValidHours', 'editWindowMinutes', 'kioskTemplateId']),
      });
      return after;
    });
  }

  private async lockTemplate(manager: EntityManager, principal: Principal, id: string, expected?: number): Promise<SurveyTemplateView> {
    const [row] = (await manager.query(`${SELECT_TEMPLATE} WHERE id = $1 FOR UPDATE`, [id])) as SurveyTemplateView[];
    if (!row) throw new NotFoundError('SurveyTemplate', id);
    assertSiteAccess(principal, row.siteId, 'SurveyTemplate', id);
    if (expected !== undefined && expected !== row.version) throw new ConflictError('The template changed meanwhile', 'stale_version');
    return row;
  }

  private async getRule(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<SurveyRuleView> {
    const [row] = (await manager.query(`${SELECT_RULE} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as SurveyRuleView[];
    if (!row) throw new NotFoundError('SurveyRule', id);
    assertSiteAccess(principal, row.siteId, 'SurveyRule', id);
    return row;
  }

  private checkRule(input: Omit<RuleInput, 'siteId'>): Required<Omit<RuleInput, 'siteId'>> {
    const channels = [...new Set((input.channels ?? []).map((c) => c.trim().toLowerCase()))];
    if (!SURVEY_TRIGGERS.includes(input.trigger)) {
      throw new ValidationError('Invalid trigger', [{ field: 'trigger', message: `trigger must be one of ${SURVEY_TRIGGERS.join(', ')}` }]);
    }
    if (channels.some((c) => !CHANNEL.test(c))) throw new ValidationError('Invalid channels', [{ field: 'channels', message: 'channels must be channel names' }]);
    return { trigger: input.trigger, channels, templateId: input.templateId, delayMinutes: input.delayMinutes ?? 60, active: input.active ?? true };
  }

  /** A template of another site is answered as missing, like any record the caller cannot see. */
  private async assertTemplateOfSite(manager: EntityManager, templateId: string, siteId: string, field = 'templateId'): Promise<void> {
    const [row] = (await manager.query(`SELECT 1 FROM survey_templates WHERE id = $1 AND site_id = $2`, [templateId, siteId])) as unknown[];
    if (!row) throw new ValidationError(`Unknown survey template ${templateId}`, [{ field, message: 'no such survey template on this site' }]);
  }
}
