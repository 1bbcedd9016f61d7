/** Formatting helpers shared by the screens (locale-aware, no strings of their own). */

/** Whole minutes, rounded up so "0 min" never means "some seconds left". */
export function minutes(seconds: number | null | undefined): number {
  if (!seconds || seconds <= 0) return 0;
  return Math.ceil(seconds / 60);
}

/** mm:ss or h:mm:ss for a running duration. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function secondsSince(iso: string, now: number): number {
  return (now - new Date(iso).getTime()) / 1000;
}

export function time(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** "A042" → { letters: "A", digits: "42" }, so a call is spoken as "A, 42" rather than spelled out. */
export function splitTicketNumber(number: string): { letters: string; digits: string } {
  const match = /^([A-Z]*)0*(\d+)$/.exec(number);
  return match ? { letters: match[1], digits: match[2] } : { letters: '', digits: number };
}
