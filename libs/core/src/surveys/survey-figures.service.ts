import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { listedSiteIds } from '../organisation/directory';
import { DISSATISFIED_SQL, FigureCounts, FigureRow, withRates } from './survey-figures';
import { rankThemes } from './survey-themes';

export const FIGURE_GROUPS = ['service', 'agent', 'channel', 'week'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export interface FigureFilter {
  siteId?: string;
  /** Inclusive start; default 90 days before `to`. */
  from?: Date;
  /** Exclusive end; default now. */
  to?: Date;
  serviceId?: string;
  agentUserId?: string;
  channel?: string;
}

export interface SurveyFigures {
  from: Date;
  to: Date;
  groupBy: FigureGroup;
  total: FigureRow;
  groups: FigureRow[];
}

export interface DissatisfactionReasons {
  from: Date;
  to: Date;
  /** Answers counted (CSAT ≤ 3 or NPS ≤ 6). */
  dissatisfied: number;
  /** Reason tags (picked in reason questions or set by supervisors), most frequent first. */
  tags: { tag: string; count: number }[];
  /** Keyword themes of these answers' comments (see survey-themes.ts), most frequent first. */
  themes: { theme: string; count: number }[];
}

const DEFAULT_DAYS = 90;
const MAX_DAYS = 800;
const MAX_COMMENTS = 5000;

/** Grouping key per source alias `x` (responses `r` use submitted_at, invitations `i` sent_at), and its label. */
function groupKey(group: FigureGroup, alias: 'r' | 'i'): string {
  const at = alias === 'r' ? 'r.submitted_at' : 'i.sent_at';
  switch (group) {
    case 'service':
      return `${alias}.service_id::text`;
    case 'agent':
      return `${alias}.agent_user_id::text`;
    case 'channel':
      return `${alias}.channel`;
    case 'week':
      // ISO week in the site's time zone: a Monday-morning answer belongs to the local week.
      return `to_char((${at} AT TIME ZONE s.time_zone)::date, 'IYYY-"W"IW')`;
  }
}

/** Satisfaction figures for supervisors: CSAT, NPS and response rate per group, and what to fix. */
@Injectable()
export class SurveyFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async figures(principal: Principal, groupBy: FigureGroup, filter: FigureFilter): Promise<SurveyFigures> {
    if (!FIGURE_GROUPS.includes(groupBy)) {
      throw new ValidationError('Invalid groupBy', [{ field: 'groupBy', message: `groupBy must be one of ${FIGURE_GROUPS.join(', ')}` }]);
    }
    const { from, to, params, where } = this.scope(principal, filter);
    const responses = (await this.dataSource.query(
      `SELECT ${groupKey(groupBy, 'r')} AS key, count(*)::int AS responses,
              count(r.csat)::int AS "csatAnswers", count(*) FILTER (WHERE r.csat >= 4)::int AS satisfied,
              count(r.nps)::int AS "npsAnswers", count(*) FILTER (WHERE r.nps >= 9)::int AS promoters,
              count(*) FILTER (WHERE r.nps <= 6)::int AS detractors
         FROM survey_responses r JOIN sites s ON s.id = r.site_id
        WHERE ${where('r', 'r.submitted_at')}
        GROUP BY 1`,
      params,
    )) as (Partial<FigureCounts> & { key: string | null })[];
    const invitations = (await this.dataSource.query(
      `SELECT ${groupKey(groupBy, 'i')} AS key, count(*)::int AS sent, count(i.answered_at)::int AS answered
         FROM survey_invitations i JOIN sites s ON s.id = i.site_id
        WHERE ${where('i', 'i.sent_at')}
        GROUP BY 1`,
      params,
    )) as { key: string | null; sent: number; answered: number }[];

    const empty = (): FigureCounts => ({ responses: 0, csatAnswers: 0, satisfied: 0, npsAnswers: 0, promoters: 0, detractors: 0, sent: 0, answered: 0 });
    const byKey = new Map<string | null, FigureCounts>();
    const total = empty();
    const add = (key: string | null, counts: Partial<FigureCounts>): void => {
      const row = byKey.get(key) ?? empty();
      for (const [field, value] of Object.entries(counts) as [keyof FigureCounts, number][]) {
        if (field in row) {
          row[field] += value;
          total[field] += value;
        }
      }
      byKey.set(key, row);
    };
    for (const { key, ...counts } of responses) add(key, counts);
    for (const { key, ...counts } of invitations) add(key, counts);
    const labels = await this.labels(groupBy, [...byKey.keys()].filter((k): k is string => k !== null));
    const groups = [...byKey]
      .map(([key, counts]) => withRates(key, key === null ? null : (labels.get(key) ?? key), counts))
      .sort((a, b) => (groupBy === 'week' ? String(a.key).localeCompare(String(b.key)) : b.responses - a.responses || String(a.label).localeCompare(String(b.label))));
    return { from, to, groupBy, total: withRates(null, null, total), groups };
  }

  async reasons(principal: Principal, filter: FigureFilter): Promise<DissatisfactionReasons> {
    const { from, to, params, where } = this.scope(principal, filter);
    const base = `FROM survey_responses r JOIN sites s ON s.id = r.site_id WHERE ${where('r', 'r.submitted_at')} AND ${DISSATISFIED_SQL}`;
    const [{ dissatisfied }] = (await this.dataSource.query(`SELECT count(*)::int AS dissatisfied ${base}`, params)) as { dissatisfied: number }[];
    const tags = (await this.dataSource.query(
      `SELECT tag, count(*)::int AS count ${base.replace('FROM survey_responses r', 'FROM survey_responses r CROSS JOIN LATERAL unnest(r.reason_tags) tag')}
        GROUP BY tag ORDER BY count DESC, tag`,
      params,
    )) as { tag: string; count: number }[];
    const comments = (await this.dataSource.query(
      `SELECT r.comment ${base} AND r.comment IS NOT NULL ORDER BY r.submitted_at DESC LIMIT ${MAX_COMMENTS}`,
      params,
    )) as { comment: string }[];
    return { from, to, dissatisfied, tags, themes: rankThemes(comments.map((c) => c.comment)) };
  }

  /** Figures as CSV (one line per group, then the total), for spreadsheets. */
  async figuresCsv(principal: Principal, groupBy: FigureGroup, filter: FigureFilter): Promise<string> {
    const data = await this.figures(principal, groupBy, filter);
    const line = (row: FigureRow, key: string) => [
      key,
      row.label ?? '',
      row.responses,
      row.csatAnswers,
      row.satisfied,
      row.csat ?? '',
      row.npsAnswers,
      row.promoters,
      row.detractors,
      row.nps ?? '',
      row.sent,
      row.answered,
      row.responseRate ?? '',
    ];
    return stringify(
      [...data.groups.map((row) => line(row, row.key ?? '')), line(data.total, 'total')],
      {
        header: true,
        columns: [
          groupBy, 'label', 'responses', 'csat_answers', 'satisfied', 'csat_percent', 'nps_answers', 'promoters', 'detractors', 'nps',
          'invitations_sent', 'invitations_answered', 'response_rate_percent',
        ],
      },
    );
  }

  async reasonsCsv(principal: Principal, filter: FigureFilter): Promise<string> {
    const data = await this.reasons(principal, filter);
    return stringify(
      [...data.tags.map((t) => ['tag', t.tag, t.count]), ...data.themes.map((t) => ['theme', t.theme, t.count])],
      { header: true, columns: ['kind', 'reason', 'count'] },
    );
  }

  private scope(principal: Principal, filter: FigureFilter) {
    const to = filter.to ?? new Date();
    const from = filter.from ?? new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
    if (from >= to || to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
      throw new ValidationError('Invalid period', [{ field: 'from', message: `from must be before to, at most ${MAX_DAYS} days apart` }]);
    }
    const params: unknown[] = [listedSiteIds(principal, filter.siteId), from, to, filter.serviceId ?? null, filter.agentUserId ?? null, filter.channel ?? null];
    const where = (alias: string, at: string) =>
      `${alias}.site_id = ANY($1) AND ${at} >= $2 AND ${at} < $3
       AND ($4::uuid IS NULL OR ${alias}.service_id = $4) AND ($5::uuid IS NULL OR ${alias}.agent_user_id = $5)
       AND ($6::text IS NULL OR ${alias}.channel = $6)`;
    return { from, to, params, where };
  }

  private async labels(group: FigureGroup, keys: string[]): Promise<Map<string, string>> {
    if (keys.length === 0 || group === 'week' || group === 'channel') return new Map();
    const rows = (await this.dataSource.query(
      group === 'service' ? `SELECT id::text, name AS label FROM services WHERE id = ANY($1)` : `SELECT id::text, display_name AS label FROM users WHERE id = ANY($1)`,
      [keys],
    )) as { id: string; label: string }[];
    return new Map(rows.map((r) => [r.id, r.label]));
  }
}
