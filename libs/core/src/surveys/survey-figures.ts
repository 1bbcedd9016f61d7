/**
 * How the satisfaction figures are computed (the API, the CSV and the tests use these):
 * - CSAT = share of CSAT answers scoring 4 or 5, in percent;
 * - NPS = % promoters (9–10) − % detractors (0–6) among NPS answers, from −100 to 100;
 * - response rate = invitations answered / invitations sent, in percent (kiosk smileys have no invitation);
 * each rounded half away from zero to one decimal, null when there is nothing to divide by.
 * An answer is "dissatisfied" when CSAT ≤ 3 or NPS ≤ 6: only those feed the ranked reasons.
 */
export function round1(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10;
}

export function percent(part: number, whole: number): number | null {
  return whole > 0 ? round1((100 * part) / whole) : null;
}

export interface FigureCounts {
  responses: number;
  csatAnswers: number;
  satisfied: number;
  npsAnswers: number;
  promoters: number;
  detractors: number;
  sent: number;
  answered: number;
}

export interface FigureRow extends FigureCounts {
  key: string | null;
  label: string | null;
  csat: number | null;
  nps: number | null;
  responseRate: number | null;
}

export function withRates(key: string | null, label: string | null, counts: FigureCounts): FigureRow {
  return {
    key,
    label,
    ...counts,
    csat: percent(counts.satisfied, counts.csatAnswers),
    nps: counts.npsAnswers > 0 ? round1((100 * (counts.promoters - counts.detractors)) / counts.npsAnswers) : null,
    responseRate: percent(counts.answered, counts.sent),
  };
}

export const DISSATISFIED_SQL = `(r.csat <= 3 OR r.nps <= 6)`;
