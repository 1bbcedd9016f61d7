/** What every benchmark receives: a running API on its own database, and a site with an agent. */
export interface BenchContext {
  databaseUrl: string;
  apiUrl: string;
  /** Access token of a supervisor of `siteId`. */
  token: string;
  siteId: string;
  /** Process id of the API, for memory readings. */
  apiPid: number;
  /** RSS of the API once ready, before any load (baseline of the memory figure). */
  apiStartRssBytes: number;
}

/** One figure next to the raw baseline measured in the same run. */
export interface BenchResult {
  name: string;
  unit: string;
  figure: number;
  baseline: number | null;
  /** figure ÷ baseline, the number that holds across machines. */
  ratio: number | null;
  target: string;
  pass: boolean;
  details?: Record<string, unknown>;
}

export type Bench = (ctx: BenchContext) => Promise<BenchResult[]>;

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
