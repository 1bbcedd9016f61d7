import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import type { Closure, WeeklyHours } from '../organisation/opening-hours';
import { BusinessCalendar, businessMinutesBetween } from './business-time';
import { CLOCK_KINDS, ClockKind } from './complaint-lifecycle';

export interface SlaFigures {
  /** Stopped on time. */
  met: number;
  /** Escalated, stopped late, or still running past its due time at the end of the month. */
  breached: number;
  /** Still running and not yet due. */
  pending: number;
  /** met / (met + breached), in percent with one decimal; null when nothing is decided. */
  compliancePercent: number | null;
  /** Mean business minutes to stop the clock (pauses excluded), over the clocks stopped; null if none. */
  averageMinutes: number | null;
}

export interface ComplaintReport {
  siteId: string;
  siteName: string;
  timeZone: string;
  /** `yyyy-mm`, in the site's time zone. */
  month: string;
  from: string;
  to: string;
  received: number;
  byCategory: { category: string; count: number }[];
  byChannel: { channel: string; count: number }[];
  bySeverity: { severity: string; count: number }[];
  sla: Record<ClockKind, SlaFigures>;
  /** Visitors with two complaints or more this month. */
  repeatedComplainants: { visitorId: string; name: string; count: number }[];
  actions: {
    answered: number;
    closed: number;
    reopened: number;
    withinRemit: number;
    outsideRemit: number;
    escalated: number;
    compensations: number;
    compensationTotal: number;
  };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const CHANNEL_FR: Record<string, string> = { desk: 'Accueil physique', phone: 'Téléphone', email: 'E-mail', web: 'Formulaire web', survey: 'Enquête' };
const CLOCK_FR: Record<ClockKind, string> = { acknowledge: 'Accusé de réception', answer: 'Réponse' };

/**
 * The monthly complaint report of a site ("rendre compte à sa hiérarchie"): complaints received
 * in the calendar month of the site's time zone, counted by category (the reason) and channel,
 * SLA compliance and mean business times per clock, repeated complainants and actions taken.
 */
@Injectable()
export class ComplaintReportsService {
  constructor(private readonly dataSource: DataSource) {}

  async report(principal: Principal, siteId: string, month: string, now = new Date()): Promise<ComplaintReport> {
    const match = MONTH.exec(month);
    if (!match) throw new ValidationError('Invalid month', [{ field: 'month', message: 'month must be yyyy-mm' }]);
    assertSiteAccess(principal, siteId);
    const [site] = (await this.dataSource.query(`SELECT name, time_zone, opening_hours, closures FROM sites WHERE id = $1`, [siteId])) as {
      name: string;
      time_zone: string;
      opening_hours: WeeklyHours;
      closures: Closure[];
    }[];
    if (!site) throw new NotFoundError('Site', siteId);
    const start = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: 1 }, { zone: site.time_zone });
    const from = start.toJSDate();
    const to = start.plus({ months: 1 }).toJSDate();
    // Clocks still running are judged as of the end of the month (or now, for the current month).
    const asOf = new Date(Math.min(to.getTime(), now.getTime()));
    const params = [siteId, from, to];
    const inMonth = `c.site_id = $1 AND c.received_at >= $2 AND c.received_at < $3`;

    const count = async (column: string) =>
      (await this.dataSource.query(
        `SELECT ${column} AS key, count(*)::int AS count FROM complaints c WHERE ${inMonth} GROUP BY 1 ORDER BY 2 DESC, 1`,
        params,
      )) as { key: string; count: number }[];
    const byCategory = (await this.dataSource.query(
      `SELECT cc.name AS category, count(*)::int AS count FROM complaints c JOIN complaint_categories cc ON cc.id = c.category_id
        WHERE ${inMonth} GROUP BY cc.name ORDER BY 2 DESC, 1`,
      params,
    )) as { category: string; count: number }[];
    const byChannel = (await count('c.channel')).map((r) => ({ channel: r.key, count: r.count }));
    const bySeverity = (await count('c.severity')).map((r) => ({ severity: r.key, count: r.count }));

    const clocks = (await this.dataSource.query(
      `SELECT k.kind, k.business_hours, k.started_at, k.due_at, k.paused_at, k.paused_minutes, k.stopped_at, k.escalated_at
         FROM complaint_clocks k JOIN complaints c ON c.id = k.complaint_id WHERE ${inMonth}`,
      params,
    )) as {
      kind: ClockKind;
      business_hours: boolean;
      started_at: Date;
      due_at: Date;
      paused_at: Date | null;
      paused_minutes: number;
      stopped_at: Date | null;
      escalated_at: Date | null;
    }[];
    const calendar = (businessHours: boolean): BusinessCalendar => ({
      hours: businessHours ? site.opening_hours : null,
      closures: site.closures,
      timeZone: site.time_zone,
    });
    const sla = Object.fromEntries(
      CLOCK_KINDS.map((kind) => {
        const mine = clocks.filter((c) => c.kind === kind);
        let met = 0;
        let breached = 0;
        let pending = 0;
        const durations: number[] = [];
        for (const clock of mine) {
          const end = clock.stopped_at ?? clock.paused_at ?? asOf;
          const late = clock.escalated_at !== null || end.getTime() > clock.due_at.getTime();
          if (late) breached++;
          else if (clock.stopped_at) met++;
          else pending++;
          if (clock.stopped_at) {
            durations.push(businessMinutesBetween(clock.started_at, clock.stopped_at, calendar(clock.business_hours)) - clock.paused_minutes);
          }
        }
        const decided = met + breached;
        const figures: SlaFigures = {
          met,
          breached,
          pending,
          compliancePercent: decided === 0 ? null : Math.round((1000 * met) / decided) / 10,
          averageMinutes: durations.length === 0 ? null : Math.round((10 * durations.reduce((a, b) => a + b, 0)) / durations.length) / 10,
        };
        return [kind, figures];
      }),
    ) as Record<ClockKind, SlaFigures>;

    const repeatedComplainants = (await this.dataSource.query(
      `SELECT v.id AS "visitorId", btrim(coalesce(v.first_name, '') || ' ' || coalesce(v.last_name, '')) AS name, count(*)::int AS count
         FROM complaints c JOIN visitors v ON v.id = c.visitor_id
        WHERE ${inMonth} GROUP BY v.id HAVING count(*) >= 2 ORDER BY 3 DESC, 2, 1`,
      params,
    )) as { visitorId: string; name: string; count: number }[];

    const [actions] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE c.answered_at IS NOT NULL)::int AS answered,
              count(*) FILTER (WHERE c.status = 'closed')::int AS closed,
              count(*) FILTER (WHERE c.reopened_at IS NOT NULL)::int AS reopened,
              count(*) FILTER (WHERE c.within_remit)::int AS "withinRemit",
              count(*) FILTER (WHERE NOT c.within_remit)::int AS "outsideRemit",
              count(*) FILTER (WHERE c.escalated_at IS NOT NULL)::int AS escalated,
              count(*) FILTER (WHERE c.compensation IS NOT NULL)::int AS compensations,
              coalesce(sum(c.compensation_amount), 0)::float8 AS "compensationTotal",
              count(*)::int AS received
         FROM complaints c WHERE ${inMonth}`,
      params,
    )) as (ComplaintReport['actions'] & { received: number })[];
    const { received, ...taken } = actions;

    return {
      siteId,
      siteName: site.name,
      timeZone: site.time_zone,
      month,
      from: from.toISOString(),
      to: to.toISOString(),
      received,
      byCategory,
      byChannel,
      bySeverity,
      sla,
      repeatedComplainants,
      actions: taken,
    };
  }

  /** One row per figure: `section, item, value` (stable keys, so a spreadsheet can look them up). */
  csv(report: ComplaintReport): string {
    const rows: (string | number | null)[][] = [
      ['section', 'item', 'value'],
      ['site', 'name', report.siteName],
      ['site', 'month', report.month],
      ['site', 'time_zone', report.timeZone],
      ['summary', 'received', report.received],
      ...report.byCategory.map((r) => ['by_category', r.category, r.count]),
      ...report.byChannel.map((r) => ['by_channel', r.channel, r.count]),
      ...report.bySeverity.map((r) => ['by_severity', r.severity, r.count]),
      ...CLOCK_KINDS.flatMap((kind) => {
        const s = report.sla[kind];
        return [
          [`sla_${kind}`, 'met', s.met],
          [`sla_${kind}`, 'breached', s.breached],
          [`sla_${kind}`, 'pending', s.pending],
          [`sla_${kind}`, 'compliance_percent', s.compliancePercent],
          [`sla_${kind}`, 'average_business_minutes', s.averageMinutes],
        ];
      }),
      ...report.repeatedComplainants.map((r) => ['repeated_complainant', r.name || r.visitorId, r.count]),
      ...Object.entries(report.actions).map(([key, value]) => ['actions', snake(key), value]),
    ];
    // Names typed at the desk end up in spreadsheets: a leading = + - @ must not become a formula.
    return stringify(rows, { escape_formulas: true });
  }

  /** A printable A4 report in French, for the hierarchy. */
  pdf(report: ComplaintReport): Promise<Buffer> {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Réclamations ${report.month} – ${report.siteName}` } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const monthLabel = DateTime.fromISO(`${report.month}-01`).setLocale('fr').toFormat('LLLL yyyy');
    const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(11);
    const line = (label: string, value: string | number | null) => doc.text(`${label} : ${value ?? '—'}`);
    const minutes = (value: number | null) => (value === null ? '—' : `${value} min ouvrées`);

    doc.font('Helvetica-Bold').fontSize(18).text('Rapport mensuel des réclamations');
    doc.font('Helvetica').fontSize(12).text(`${report.siteName} — ${monthLabel} (${report.timeZone})`);
    heading('Synthèse');
    line('Réclamations reçues', report.received);
    heading('Par motif (catégorie)');
    if (report.byCategory.length === 0) doc.text('Aucune');
    for (const r of report.byCategory) line(r.category, r.count);
    heading('Par canal');
    if (report.byChannel.length === 0) doc.text('Aucun');
    for (const r of report.byChannel) line(CHANNEL_FR[r.channel] ?? r.channel, r.count);
    heading('Respect des délais');
    for (const kind of CLOCK_KINDS) {
      const s = report.sla[kind];
      line(
        CLOCK_FR[kind],
        `${s.met} dans les délais, ${s.breached} hors délai, ${s.pending} en cours — conformité ${s.compliancePercent === null ? '—' : `${s.compliancePercent} %`} — durée moyenne ${minutes(s.averageMinutes)}`,
      );
    }
    heading('Réclamants récurrents');
    if (report.repeatedComplainants.length === 0) doc.text('Aucun');
    for (const r of report.repeatedComplainants) line(r.name || r.visitorId, r.count);
    heading('Actions menées');
    const a = report.actions;
    line('Réponses apportées', a.answered);
    line('Dossiers clos', a.closed);
    line('Réouvertures', a.reopened);
    line("Traitées dans le périmètre de l'agent", a.withinRemit);
    line('Orientées vers la hiérarchie', a.outsideRemit);
    line('Escaladées (délai dépassé)', a.escalated);
    line('Gestes commerciaux', `${a.compensations} (total ${a.compensationTotal.toFixed(2)} €)`);
    doc.end();
    return done;
  }
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
