import type { TFunction } from 'i18next';
import type { PauseReason } from '../api/types';

/** The default reasons are translated; a site's own reasons keep the label it gave them. */
export function pauseReasonLabel(t: TFunction, reasons: PauseReason[], code: string | null): string {
  if (!code) return '';
  const label = reasons.find((r) => r.code === code)?.label ?? code;
  return t(`pauseReasons.${code}`, { defaultValue: label });
}
