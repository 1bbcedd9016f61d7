import { DateTime } from 'luxon';

/** A `datetime-local` input's value read in the site's zone, as an instant with offset for the API; null when empty. */
export function localInputToIso(value: string, zone: string): string | null {
  if (!value) return null;
  const dt = DateTime.fromISO(value, { zone });
  return dt.isValid ? (dt.toISO() as string) : null;
}

/** A short local date and time in the site's zone, in the interface language. */
export function shortDateTime(iso: string | null, zone: string, locale: string): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso).setZone(zone).setLocale(locale).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
